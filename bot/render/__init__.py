"""What the bot draws and writes for people to look at: price charts, the rich menu image, supplier exports
(CSV, XLSX) and the Thai font they use."""
