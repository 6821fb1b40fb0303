// The iframe fallback: for pages that cannot load modules or allow
// 'wasm-unsafe-eval', Vigie runs in a frame from its own host:
//
//   <iframe src="https://…/vigie/frame.html?origin=https://your.site&lang=fr" title="Vigie"></iframe>
//
// The frame talks only to the origin its address names, with postMessage:
//   page → frame  { type: "vigie-check", id, text }     check a text
//   page → frame  { type: "vigie-set-text", text }       put a text in the frame's area
//   frame → page  { type: "vigie-report", id, report }   the answer to vigie-check
//   frame → page  { type: "vigie-findings", report }     after every check
// Messages from any other origin, or from another window than the parent,
// are ignored.

import "./vigie-widget.js";

const params = new URLSearchParams(location.search);
const origin = params.get("origin"); // the page's origin, and the only one we talk to
const widget = document.getElementById("vigie");
for (const a of ["lang", "families", "min-severity", "theme", "ui-lang"]) {
  if (params.has(a)) widget.setAttribute(a, params.get(a));
}
if (params.has("ui-lang")) document.documentElement.lang = params.get("ui-lang");

const send = (message) => {
  if (origin && window.parent !== window) window.parent.postMessage(message, origin);
};

if (!origin) console.error("vigie: frame.html needs ?origin=<the origin of the page that embeds it>");

window.addEventListener("message", async (event) => {
  if (!origin || event.origin !== origin || event.source !== window.parent) return;
  const m = event.data;
  if (!m || typeof m !== "object") return;
  if (m.type === "vigie-set-text" && typeof m.text === "string") widget.value = m.text;
  if (m.type === "vigie-check" && typeof m.text === "string") {
    try {
      send({ type: "vigie-report", id: m.id, report: await widget.check(m.text) });
    } catch (err) {
      send({ type: "vigie-report", id: m.id, error: String(err.message || err) });
    }
  }
});

widget.addEventListener("vigie-findings", (event) => send({ type: "vigie-findings", report: event.detail }));
