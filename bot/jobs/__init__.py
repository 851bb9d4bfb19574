"""Scheduled jobs, run by the one clock process (`coopbot clock`) or in-process for the embedded default:
round deadlines and notices, price alerts, announcements, the outbox, the Ministry's daily prices."""
