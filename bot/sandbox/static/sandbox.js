// The sandbox phone: pick or create a member, send what they type or tap, show what LINE delivered.
"use strict";

(() => {
  const api = document.body.dataset.api;
  const $ = (sel) => document.querySelector(sel);
  const el = LineRender.el;
  const state = { user: null, members: [], seen: new Set(), busy: false, menuId: undefined };

  async function call(path, body) {
    const options = body === undefined ? {} : {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
    };
    const response = await fetch(api + path, options);
    const data = await response.json();
    if (!response.ok) throw new Error(data.error || response.statusText);
    return data;
  }

  function status(text) { $("#status").textContent = text; }

  function clock(at) {
    return new Date(at * 1000).toLocaleTimeString("th-TH", { hour: "2-digit", minute: "2-digit" });
  }

  function row(side, content, at, note) {
    const line = el("div", "row " + side);
    if (side === "bot") line.append(el("div", "avatar", "สก"));
    const stack = el("div", "stack");
    for (const node of content) stack.append(node);
    line.append(stack);
    const meta = el("small", "time", (note ? note + " · " : "") + clock(at));
    line.append(meta);
    return line;
  }

  function render(entries) {
    const chat = $("#chat");
    let added = false;
    for (const entry of entries) {
      if (state.seen.has(entry.id)) continue;
      state.seen.add(entry.id);
      added = true;
      if (entry.from === "me") {
        chat.append(row("me", [el("div", "bubble me text", entry.text)], entry.at));
      } else if (entry.messages) {
        const nodes = entry.messages.map((m) => LineRender.message(m, act));
        chat.append(row("bot", nodes, entry.at, entry.via === "reply" ? "" : entry.via));
      } else {
        const box = el("pre", "refused", `LINE refused this ${entry.via} (${entry.status}):\n`
          + JSON.stringify(entry.error, null, 1));
        chat.append(row("bot", [box], entry.at));
      }
    }
    if (added) {
      quickReplies(entries[entries.length - 1]);
      chat.scrollTop = chat.scrollHeight;
    }
  }

  function quickReplies(last) {
    const bar = $("#quick");
    bar.replaceChildren();
    const message = last && last.messages && last.messages[last.messages.length - 1];
    const items = (message && message.quickReply && message.quickReply.items) || [];
    for (const item of items) {
      const chip = el("button", "chip", item.action.label);
      chip.type = "button";
      chip.addEventListener("click", () => act(item.action));
      bar.append(chip);
    }
    bar.hidden = items.length === 0;
  }

  async function send(body) {
    if (!state.user || state.busy) return;
    state.busy = true;
    $("#quick").hidden = true;
    const started = performance.now();
    try {
      const data = await call("api/send", { user: state.user, ...body });
      render(data.entries);
      status(`webhook ${data.webhook} · bot answered in ${Math.round(performance.now() - started)} ms`);
    } catch (err) {
      status("Not sent: " + err.message);
    } finally {
      state.busy = false;
    }
  }

  function picked(action) {
    // A datetime picker asks on the phone, then LINE sends a postback with the chosen value in params.
    const kind = action.mode || "date";
    const today = new Date().toISOString();
    const example = { date: today.slice(0, 10), time: today.slice(11, 16), datetime: today.slice(0, 16) }[kind];
    const value = window.prompt(action.label + " (" + kind + ")", action.initial || example);
    return value ? { [kind]: value } : null;
  }

  function act(action) {
    if (!action) return;
    if (action.type === "postback") send({ data: action.data || "", displayText: action.displayText || action.text });
    else if (action.type === "message") send({ text: action.text });
    else if (action.type === "uri") window.open(action.uri, "_blank", "noopener");
    else if (action.type === "datetimepicker") {
      const params = picked(action);
      if (params) send({ data: action.data || "", params });
    } else status("The sandbox does not play " + action.type + " actions");
  }

  async function loadMembers(select) {
    const data = await call("api/members");
    state.members = data.members;
    const picker = $("#member");
    picker.replaceChildren(el("option", "", "— pick a member —"));
    picker.firstChild.value = "";
    for (const m of data.members) {
      const option = el("option", "", `${m.name} · ${m.role}${m.center ? " " + m.center : ""} · ${m.language}`);
      option.value = m.userId;
      picker.append(option);
    }
    const form = $("#create");
    if (!form.center.options.length) {
      for (const c of data.centers) {
        const option = el("option", "", `${c.code} ${c.name}`);
        option.value = c.code;
        form.center.append(option);
      }
      for (const d of data.districts) form.district.append(el("option", "", d));
    }
    $("#new").open = data.members.length === 0;  // a newcomer starts by creating someone
    const wanted = select || localStorage.getItem("sandbox-user");
    if (wanted && data.members.some((m) => m.userId === wanted)) choose(wanted);
  }

  async function choose(userId) {
    state.user = userId || null;
    state.seen.clear();
    $("#chat").replaceChildren();
    $("#quick").hidden = true;
    $("#member").value = userId || "";
    const member = state.members.find((m) => m.userId === userId);
    $("#who").textContent = member ? member.name : "—";
    $("#role").textContent = member ? `${member.role}${member.center ? " · " + member.center : ""}` : "";
    $("#text").disabled = $("#send").disabled = !member;
    if (!member) return;
    localStorage.setItem("sandbox-user", userId);
    render((await call("api/timeline?user=" + encodeURIComponent(userId))).entries);
    $("#text").focus();
  }

  async function loadRichMenu() {
    const data = await call("api/richmenu");
    if (data.id === state.menuId) return;  // unchanged: keep the image and the member's toggle
    state.menuId = data.id;
    const box = $("#richmenu");
    box.replaceChildren();
    $("#menu-toggle").hidden = !data.menu;
    if (!data.menu) { box.hidden = true; return; }
    const { width, height } = data.menu.size;
    const frame = el("div", "menu-frame");
    frame.style.aspectRatio = `${width} / ${height}`;
    const img = el("img", "menu-image");
    img.src = data.image;
    img.alt = data.menu.chatBarText || "rich menu";
    frame.append(img);
    for (const area of data.menu.areas || []) {
      const b = area.bounds;
      const spot = el("button", "menu-area");
      spot.type = "button";
      spot.title = area.action.label || area.action.displayText || area.action.text || area.action.data || "";
      spot.setAttribute("aria-label", spot.title);
      Object.assign(spot.style, {
        left: (100 * b.x / width) + "%", top: (100 * b.y / height) + "%",
        width: (100 * b.width / width) + "%", height: (100 * b.height / height) + "%",
      });
      spot.addEventListener("click", () => act(area.action));
      frame.append(spot);
    }
    box.append(frame, el("div", "chat-bar", data.menu.chatBarText || ""));
    box.hidden = data.menu.selected === false;
  }

  $("#member").addEventListener("change", (e) => choose(e.target.value));
  $("#menu-toggle").addEventListener("click", () => { $("#richmenu").hidden = !$("#richmenu").hidden; });
  $("#say").addEventListener("submit", (e) => {
    e.preventDefault();
    const text = $("#text").value;
    if (!text.trim()) return;
    $("#text").value = "";
    send({ text });
  });
  $("#create").addEventListener("submit", async (e) => {
    e.preventDefault();
    const form = e.target;
    const body = {
      name: form.name.value, language: form.language.value, role: form.role.value,
      center: form.role.value === "member" ? null : form.center.value,
      registered: form.registered.checked, district: form.district.value,
    };
    try {
      const data = await call("api/members", body);
      await loadMembers();
      await choose(data.user);
      form.reset();
      document.body.classList.remove("coordinator");
      status(`${body.name} followed the bot (webhook ${data.webhook}, ${data.ms} ms)`);
    } catch (err) {
      status("Not created: " + err.message);
    }
  });
  $("#create").role.addEventListener("change", (e) => {
    document.body.classList.toggle("coordinator", e.target.value !== "member");
  });

  loadMembers().then(loadRichMenu).catch((err) => status(err.message));
  setInterval(() => {
    if (state.user && !state.busy) {
      call("api/timeline?user=" + encodeURIComponent(state.user)).then((d) => render(d.entries)).catch(() => {});
    }
    loadRichMenu().catch(() => {});
  }, 2000);
})();
