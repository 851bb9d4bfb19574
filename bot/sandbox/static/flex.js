// Renders LINE message objects roughly as the LINE app shows them. `act(action)` runs a tapped action.
"use strict";

const LineRender = (() => {
  const SIZES = { xxs: 11, xs: 12, sm: 13, md: 15, lg: 17, xl: 19, xxl: 22, "3xl": 26, "4xl": 30, "5xl": 34 };
  const SPACES = { none: 0, xs: 2, sm: 4, md: 8, lg: 12, xl: 16, xxl: 20 };

  function el(tag, cls, text) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function px(value, table) {
    if (value === undefined || value === null) return undefined;
    if (table && value in table) return table[value] + "px";
    return String(value);
  }

  function clickable(node, action, act) {
    if (!action) return node;
    node.classList.add("tappable");
    node.tabIndex = 0;
    node.addEventListener("click", (e) => { e.stopPropagation(); act(action); });
    return node;
  }

  function flexText(c, act) {
    const node = el("p", "fx-text");
    if (c.contents && c.contents.length) {
      for (const span of c.contents) {
        const s = el("span", "", span.text);
        if (span.weight === "bold") s.style.fontWeight = "700";
        if (span.color) s.style.color = span.color;
        if (span.size) s.style.fontSize = px(span.size, SIZES);
        node.append(s);
      }
    } else {
      node.textContent = c.text || "";
    }
    if (c.size) node.style.fontSize = px(c.size, SIZES);
    if (c.weight === "bold") node.style.fontWeight = "700";
    if (c.color) node.style.color = c.color;
    if (c.align) node.style.textAlign = c.align;
    if (c.wrap === false || c.wrap === undefined) node.classList.add("nowrap");
    if (c.decoration === "line-through") node.style.textDecoration = "line-through";
    return clickable(node, c.action, act);
  }

  function flexImage(c, act) {
    const node = el("img", "fx-image");
    node.src = c.url;
    node.alt = "";
    if (c.aspectRatio) node.style.aspectRatio = c.aspectRatio.replace(":", "/");
    node.style.objectFit = c.aspectMode === "cover" ? "cover" : "contain";
    if (c.size === "full") node.style.width = "100%";
    else if (c.size) node.style.maxWidth = px(c.size, { xxs: 40, xs: 60, sm: 80, md: 100, lg: 120, xl: 140, xxl: 160 });
    return clickable(node, c.action, act);
  }

  function flexButton(c, act) {
    const node = el("button", "fx-button " + (c.style || "link"), (c.action && c.action.label) || "");
    node.type = "button";
    if (c.color) node.style[c.style === "link" || !c.style ? "color" : "background"] = c.color;
    return clickable(node, c.action, act);
  }

  function component(c, act) {
    let node;
    switch (c.type) {
      case "box": node = flexBox(c, act); break;
      case "text": node = flexText(c, act); break;
      case "span": node = el("span", "", c.text); break;
      case "image": node = flexImage(c, act); break;
      case "icon": node = el("img", "fx-icon"); node.src = c.url; break;
      case "button": node = flexButton(c, act); break;
      case "separator": node = el("hr", "fx-separator"); if (c.color) node.style.borderColor = c.color; break;
      case "filler": node = el("div", "fx-filler"); break;
      case "spacer": node = el("div", "fx-spacer"); node.style.height = px(c.size || "md", SPACES); break;
      default: node = el("div", "fx-unknown", "[" + c.type + "]");
    }
    if (c.flex !== undefined) node.style.flex = String(c.flex);
    if (c.margin) node.style.marginTop = px(c.margin, SPACES);
    if (c.gravity) node.style.alignSelf = { top: "flex-start", center: "center", bottom: "flex-end" }[c.gravity];
    return node;
  }

  function flexBox(c, act) {
    const node = el("div", "fx-box " + (c.layout || "vertical"));
    const gap = px(c.spacing, SPACES);
    (c.contents || []).forEach((child, i) => {
      const childNode = component(child, act);
      if (i > 0 && gap && !child.margin) {
        childNode.style[c.layout === "vertical" ? "marginTop" : "marginLeft"] = gap;
      }
      node.append(childNode);
    });
    if (c.backgroundColor) node.style.background = c.backgroundColor;
    if (c.paddingAll) node.style.padding = px(c.paddingAll, SPACES);
    if (c.cornerRadius) node.style.borderRadius = px(c.cornerRadius, SPACES);
    if (c.borderWidth) node.style.border = "1px solid " + (c.borderColor || "#ddd");
    return clickable(node, c.action, act);
  }

  function bubble(b, act) {
    const node = el("div", "fx-bubble " + (b.size || "mega"));
    for (const part of ["header", "hero", "body", "footer"]) {
      if (!b[part]) continue;
      const section = el("div", "fx-" + part);
      section.append(component(b[part], act));
      const style = b.styles && b.styles[part];
      if (style && style.backgroundColor) section.style.background = style.backgroundColor;
      if (style && style.separator) section.style.borderTop = "1px solid " + (style.separatorColor || "#eee");
      node.append(section);
    }
    return clickable(node, b.action, act);
  }

  function container(c, act) {
    if (c.type === "carousel") {
      const row = el("div", "fx-carousel");
      for (const b of c.contents || []) row.append(bubble(b, act));
      return row;
    }
    return bubble(c, act);
  }

  function template(t, act) {
    const cards = t.type === "carousel" ? t.columns : [t];
    const row = el("div", t.type === "carousel" ? "fx-carousel" : "");
    for (const card of cards || []) {
      const node = el("div", "fx-bubble template");
      if (card.thumbnailImageUrl) { const img = el("img", "fx-image"); img.src = card.thumbnailImageUrl; node.append(img); }
      const body = el("div", "fx-body");
      if (card.title) body.append(el("p", "fx-text bold", card.title));
      body.append(el("p", "fx-text", card.text));
      for (const action of card.actions || []) body.append(flexButton({ action, style: "link" }, act));
      node.append(body);
      row.append(node);
    }
    return row;
  }

  function message(m, act) {
    switch (m.type) {
      case "text": case "textV2": return el("div", "bubble bot text", m.text);
      case "flex": { const wrap = el("div", "flex"); wrap.title = m.altText; wrap.append(container(m.contents, act)); return wrap; }
      case "image": { const img = el("img", "bubble image"); img.src = m.previewImageUrl || m.originalContentUrl; img.alt = "image"; return img; }
      case "sticker": return el("div", "bubble bot sticker", "🙂 sticker " + m.packageId + "/" + m.stickerId);
      case "location": return el("div", "bubble bot text", "📍 " + m.title + "\n" + m.address);
      case "template": return template(m.template, act);
      case "imagemap": { const img = el("img", "bubble image"); img.src = m.baseUrl + "/1040"; img.alt = m.altText; return img; }
      default: return el("div", "bubble bot text", "[" + m.type + "] " + (m.altText || ""));
    }
  }

  return { message, clickable, el };
})();
