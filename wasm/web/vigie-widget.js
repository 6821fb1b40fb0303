// <vigie-checker>: Vigie as a custom element, for NGOs and civic platforms.
//
//   <script type="module" src="https://…/vigie/vigie-widget.js"></script>
//   <vigie-checker lang="fr" families="framing,epistemic"></vigie-checker>
//
// Attributes: lang (fr, en, auto), families (comma-separated), min-severity
// (info, suggestion, warning), conventions (comma-separated writing
// conventions whose rules are off by default, e.g. "hce-2015"), theme (light, dark, inherit), ui-lang (fr,
// en), pack (the URL of an extra rule pack, YAML or JSON, relative to the
// page), for (the id of a <textarea> or contenteditable element of the page
// to watch instead of the element's own text area: "attach mode"),
// sentences (present: also list the sentences that Vigie's sentence model
// finds loaded; the model, sentence.onnx, comes from next to this file).
// Events: "vigie-findings" (detail: the report) after each check.
// Methods: check(text) → Promise<report>; attach(element).
//
// In attach mode the element only reads the field: it never submits, blocks
// or changes the page's form, and edits the text only when the reader
// applies a suggestion, as an ordinary edit (undoable, with its input event).
//
// The element keeps to its shadow root: the page's CSS does not reach it and
// its CSS does not leak out. Nothing is loaded until the element is on
// screen or focused; then the engine (vigie.mjs, next to this file) runs in
// a worker, and checking sends nothing anywhere.

import { createChecker } from "./vigie.mjs";
import { el } from "./dom.mjs";

// The sentence model is loaded once for every element of the page that asks
// for it (they share one engine).
let modelLoaded = false;
let modelLoading;
function loadModel(checker) {
  modelLoading ??= checker.loadModel().then(() => { modelLoaded = true; });
  return modelLoading;
}

const FAMILIES = ["epistemic", "framing", "stereotype", "generalisation", "toxicity", "inclusive-writing"];

const STRINGS = {
  fr: {
    label: "Texte à vérifier", loading: "Chargement de Vigie…", ready: "Vigie est prêt.",
    count: (n) => (n ? `${n} formulation${n > 1 ? "s" : ""} à examiner` : "Aucune formulation signalée"),
    replace: (s) => `Remplacer par « ${s} »`, packError: "Le jeu de règles ajouté est invalide ; les règles par défaut restent actives :",
    error: "Erreur :", privacy: "Vérifié dans votre navigateur : rien n'est envoyé.",
    sentence: (score) => `Phrase que le modèle juge orientée (score ${score.toFixed(2).replace(".", ",")}) : un jugement statistique sur toute la phrase.`,
    "fam-epistemic": "Épistémique", "fam-framing": "Cadrage", "fam-stereotype": "Stéréotype",
    "fam-generalisation": "Généralisation", "fam-toxicity": "Toxicité", "fam-inclusive-writing": "Écriture inclusive",
  },
  en: {
    label: "Text to check", loading: "Loading Vigie…", ready: "Vigie is ready.",
    count: (n) => (n ? `${n} wording${n > 1 ? "s" : ""} to look at` : "No wording flagged"),
    replace: (s) => `Replace with “${s}”`, packError: "The added rule pack is invalid; the default rules still apply:",
    error: "Error:", privacy: "Checked in your browser: nothing is sent.",
    sentence: (score) => `A sentence the model finds loaded (score ${score.toFixed(2)}): a statistical judgement on the whole sentence.`,
    "fam-epistemic": "Epistemic", "fam-framing": "Framing", "fam-stereotype": "Stereotype",
    "fam-generalisation": "Generalisation", "fam-toxicity": "Toxicity", "fam-inclusive-writing": "Inclusive writing",
  },
};

const STYLE = `
:host { all: initial; display: block; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  --fg: #1d1d1f; --bg: #fff; --muted: #5b5b60; --line: #d6d6d0; --focus: #1a56b8;
  --epistemic: #f3c34a; --framing: #f08c6c; --stereotype: #b58ce8; --generalisation: #6cb8f0; --toxicity: #e8586b; --inclusive-writing: #7ccf8a;
  color: var(--fg); background: var(--bg); border: 1px solid var(--line); border-radius: 8px; padding: .75rem; }
:host([theme="dark"]) { --fg: #eee; --bg: #1c1d20; --muted: #b4b4b8; --line: #44464b; --focus: #8ab4ff; }
:host([theme="inherit"]) { color: inherit; background: transparent; font: inherit; --fg: currentColor; --bg: transparent; }
:host([hidden]) { display: none; }
* { box-sizing: border-box; }
label { display: block; font-weight: 600; margin-bottom: .25rem; }
.field { position: relative; }
.backdrop, textarea { font: 15px/1.6 ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; padding: .5rem; border: 1px solid var(--line);
  border-radius: 6px; white-space: pre-wrap; overflow-wrap: break-word; margin: 0; letter-spacing: 0; tab-size: 4; }
.backdrop { position: absolute; inset: 0; overflow: hidden; color: transparent; pointer-events: none; }
textarea { position: relative; display: block; width: 100%; min-height: 8rem; resize: vertical; background: transparent; color: var(--fg); }
mark { color: transparent; background: color-mix(in srgb, var(--c) 45%, transparent); box-shadow: inset 0 -2px 0 var(--c); border-radius: 2px; }
.f-epistemic { --c: var(--epistemic); } .f-framing { --c: var(--framing); } .f-stereotype { --c: var(--stereotype); }
.f-generalisation { --c: var(--generalisation); } .f-toxicity { --c: var(--toxicity); } .f-inclusive-writing { --c: var(--inclusive-writing); }
.status { color: var(--muted); font-size: .9em; margin: .4rem 0; }
.alert { color: #8a1020; background: #fde8ea; border-radius: 6px; padding: .4rem .6rem; white-space: pre-wrap; font-size: .9em; }
:host([theme="dark"]) .alert { color: #ffd0d6; background: #4a1c24; }
ul { list-style: none; margin: 0; padding: 0; }
li { border-left: 4px solid var(--c); padding: .3rem .5rem; margin: .35rem 0; background: color-mix(in srgb, var(--c) 10%, transparent); border-radius: 4px; }
.span { font-weight: 600; }
li.sentence { border-left: 4px dashed #6b5bd6; background: color-mix(in srgb, #6b5bd6 8%, transparent); }
button { font: inherit; font-size: .9em; margin: .25rem .25rem 0 0; padding: .15rem .55rem; border: 1px solid var(--line); border-radius: 5px; background: var(--bg); color: var(--fg); cursor: pointer; }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.privacy { color: var(--muted); font-size: .8em; margin: .4rem 0 0; }
:host([for]) .field, :host([for]) > label { display: none; }
.overlay { position: fixed; pointer-events: none; color: transparent; background: transparent; overflow: hidden; z-index: 2147483646;
  white-space: pre-wrap; overflow-wrap: break-word; border-color: transparent !important; margin: 0; }
.overlay mark { background: transparent; box-shadow: none; text-decoration: underline wavy var(--c); text-decoration-thickness: 2px;
  text-underline-offset: 3px; text-decoration-skip-ink: none; color: transparent; }
.tip { position: fixed; z-index: 2147483647; max-width: 22rem; background: var(--bg); color: var(--fg); border: 1px solid var(--line);
  border-left: 4px solid var(--c); border-radius: 6px; padding: .4rem .6rem; box-shadow: 0 2px 8px rgb(0 0 0 / .15); font-size: .9em; }
`;

// Underlines inside contenteditable fields of the page, through the CSS
// Custom Highlight API (the page's text stays untouched).
let pageSheet;
function highlightStyles() {
  if (pageSheet || !("highlights" in CSS)) return;
  pageSheet = new CSSStyleSheet();
  const colours = { epistemic: "#c98a00", framing: "#d4502b", stereotype: "#8a4fd0", generalisation: "#2e86c9", toxicity: "#c8243a", "inclusive-writing": "#3f9a4f" };
  pageSheet.replaceSync(Object.entries(colours).map(([f, c]) => `::highlight(vigie-${f}) { text-decoration: underline wavy ${c} 2px; }`).join("\n"));
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, pageSheet];
}

// Styles a mirror must copy from a text area to lay its text out the same.
const MIRROR = ["font-family", "font-size", "font-weight", "font-style", "line-height", "letter-spacing", "word-spacing", "text-indent",
  "text-align", "text-transform", "direction", "tab-size", "padding-top", "padding-right", "padding-bottom", "padding-left",
  "border-top-width", "border-right-width", "border-bottom-width", "border-left-width", "border-top-style", "border-right-style",
  "border-bottom-style", "border-left-style", "box-sizing"];

let sheet;
function styles() {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(STYLE);
  }
  return sheet;
}

// One engine per page, shared by every element, started on first need.
let shared;
const engine = () => (shared ??= createChecker({ wasmUrl: new URL("./vigie.wasm", import.meta.url) }));

export class VigieChecker extends HTMLElement {
  static observedAttributes = ["lang", "families", "min-severity", "conventions", "ui-lang", "pack", "for", "sentences"];

  #root = this.attachShadow({ mode: "open" });
  #ready; // a promise: the engine loaded and the pack checked
  #pack = null; // { pack, pack_name } when the extra pack is valid
  #seq = 0;
  #timer;
  #text;
  #backdrop;
  #status;
  #alert;
  #list;
  #target = null; // the page's field, in attach mode
  #overlay = null;
  #tip = null;
  #findings = [];
  #listeners = [];
  report = null;

  constructor() {
    super();
    this.#root.adoptedStyleSheets = [styles()];
    const s = this.#strings();
    const id = "t";
    this.#text = el("textarea", { id, spellcheck: "false" });
    this.#backdrop = el("div", { class: "backdrop", "aria-hidden": "true" });
    this.#status = el("p", { class: "status", role: "status", "aria-live": "polite" });
    this.#alert = el("p", { class: "alert", role: "alert", hidden: "" });
    this.#list = el("ul");
    this.#root.append(
      el("label", { for: id }, s.label),
      el("div", { class: "field" }, this.#backdrop, this.#text),
      this.#alert, this.#status, this.#list,
      el("p", { class: "privacy" }, s.privacy),
    );
    this.#text.addEventListener("input", () => this.#schedule());
    this.#text.addEventListener("scroll", () => (this.#backdrop.scrollTop = this.#text.scrollTop));
    this.addEventListener("focusin", () => this.#load());
  }

  connectedCallback() {
    const id = this.getAttribute("for");
    if (id && !this.#target) {
      const field = document.getElementById(id);
      if (field) this.attach(field);
      else queueMicrotask(() => document.getElementById(id) && this.attach(document.getElementById(id)));
    }
    if (this.#ready) return;
    if (!("IntersectionObserver" in self)) return void this.#load();
    const io = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) {
        io.disconnect();
        this.#load();
      }
    });
    io.observe(this);
  }

  disconnectedCallback() {
    this.#detach();
  }

  /** Watches a <textarea> or contenteditable element of the page. */
  attach(field) {
    this.#detach();
    if (!(field instanceof HTMLTextAreaElement || field.isContentEditable)) throw new TypeError("vigie-checker can watch a <textarea> or a contenteditable element");
    this.#target = field;
    const on = (node, type, fn, opts) => {
      node.addEventListener(type, fn, opts);
      this.#listeners.push(() => node.removeEventListener(type, fn, opts));
    };
    on(field, "input", () => this.#schedule(), { passive: true });
    on(field, "focus", () => this.#load(), { passive: true });
    on(field, "scroll", () => this.#place(), { passive: true });
    on(field, "mousemove", (e) => this.#hover(e), { passive: true });
    on(field, "mouseleave", () => this.#hideTip(), { passive: true });
    on(window, "scroll", () => this.#place(), { passive: true, capture: true });
    on(window, "resize", () => this.#place(), { passive: true });
    if (field.value || field.textContent) this.#schedule();
  }

  #detach() {
    this.#listeners.forEach((off) => off());
    this.#listeners = [];
    this.#overlay?.remove();
    this.#overlay = null;
    this.#target = null;
  }

  attributeChangedCallback(name, oldValue, newValue) {
    if (name === "for" && oldValue !== newValue && this.isConnected && newValue) {
      const field = document.getElementById(newValue);
      if (field) this.attach(field);
    }
    if (oldValue === newValue || !this.#ready) return;
    if (name === "pack" || name === "sentences") this.#ready = null, this.#load();
    this.#schedule();
  }

  /** The text in the element's own text area. */
  get value() {
    return this.#text.value;
  }
  set value(v) {
    this.#text.value = v;
    this.#schedule();
  }

  /** Checks text with the element's options; resolves to the report. */
  async check(text) {
    await this.#load();
    const report = await (await engine()).check(text, this.#options());
    this.dispatchEvent(new CustomEvent("vigie-findings", { detail: report, bubbles: true, composed: true }));
    return report;
  }

  #strings() {
    const ui = (this.getAttribute("ui-lang") || document.documentElement.lang || "fr").slice(0, 2);
    return STRINGS[ui === "en" ? "en" : "fr"];
  }

  #options() {
    const families = (this.getAttribute("families") || "").split(",").map((f) => f.trim()).filter((f) => FAMILIES.includes(f));
    const opts = {
      lang: this.getAttribute("lang") || "auto",
      families,
      ui_lang: this.getAttribute("ui-lang") === "en" ? "en" : this.getAttribute("ui-lang") === "fr" ? "fr" : undefined,
      ...(this.#pack || {}),
    };
    const min = this.getAttribute("min-severity");
    if (min) opts.min_severity = min;
    const conventions = (this.getAttribute("conventions") || "").split(",").map((c) => c.trim()).filter(Boolean);
    if (conventions.length) opts.conventions = conventions;
    if (this.hasAttribute("sentences") && modelLoaded) opts.sentences = true;
    return opts;
  }

  #load() {
    this.#ready ??= (async () => {
      this.#status.textContent = this.#strings().loading;
      const checker = await engine();
      this.#pack = null;
      this.#alert.hidden = true;
      const url = this.getAttribute("pack");
      if (url) {
        const href = new URL(url, document.baseURI);
        try {
          const res = await fetch(href);
          if (!res.ok) throw new Error(`${href}: ${res.status} ${res.statusText}`);
          const pack = { pack: await res.text(), pack_name: href.pathname.split("/").pop() || "pack.yaml" };
          await checker.rules(pack); // compiles it: a malformed pack throws here
          this.#pack = pack;
        } catch (err) {
          const s = this.#strings();
          this.#alert.textContent = `${s.packError}\n${err.message}`;
          this.#alert.hidden = false;
          console.error(`vigie: ${err.message}`);
        }
      }
      if (this.hasAttribute("sentences")) {
        try {
          await loadModel(checker);
        } catch (err) {
          console.error(`vigie: the sentence model: ${err.message}`);
        }
      }
      this.#status.textContent = this.#strings().ready;
    })().catch((err) => {
      this.#status.textContent = `${this.#strings().error} ${err.message}`;
      throw err;
    });
    return this.#ready;
  }

  #schedule() {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#run(), 150);
  }

  // The text being checked: the element's own, or the watched field's.
  #current() {
    const t = this.#target;
    if (!t) return this.#text.value;
    if (t instanceof HTMLTextAreaElement) return t.value;
    return editableText(t).text;
  }

  async #run() {
    const seq = ++this.#seq;
    const text = this.#current();
    if (!text.trim()) {
      this.report = null;
      this.#render(text, []);
      return;
    }
    try {
      const report = await this.check(text);
      if (seq !== this.#seq) return;
      this.report = report;
      this.#render(text, report.findings, report.sentences || []);
    } catch (err) {
      if (seq === this.#seq) this.#status.textContent = `${this.#strings().error} ${err.message}`;
    }
  }

  #render(text, findings, sentences = []) {
    const s = this.#strings();
    this.#findings = findings;
    if (this.#target) this.#underline(text, findings);
    this.#backdrop.replaceChildren();
    let pos = 0;
    for (const f of findings) {
      if (f.start16 < pos) continue;
      this.#backdrop.append(text.slice(pos, f.start16), el("mark", { class: `f-${f.family}` }, text.slice(f.start16, f.end16)));
      pos = f.end16;
    }
    this.#backdrop.append(text.slice(pos) + "\n");
    this.#status.textContent = s.count(findings.length);
    this.#list.replaceChildren(
      ...findings.map((f) =>
        el("li", { class: `f-${f.family}`, title: s[`fam-${f.family}`] },
          el("span", { class: "span" }, f.text), " — ", f.message, el("br"),
          ...f.suggestions.map((sug) => el("button", { type: "button", onclick: () => this.#apply(f, sug) }, s.replace(sug))),
        ),
      ),
      ...sentences.map((m) => el("li", { class: "sentence" }, el("span", { class: "span" }, m.text), el("br"), s.sentence(m.score))),
    );
  }

  // #apply replaces a span as an edit the browser can undo, and tells the
  // page through an input event.
  #apply(f, suggestion) {
    if (this.#current().slice(f.start16, f.end16) !== f.text) return; // the text changed since
    if (this.#target && !(this.#target instanceof HTMLTextAreaElement)) {
      const range = editableText(this.#target).range(f.start16, f.end16);
      this.#target.focus();
      const sel = getSelection();
      sel.removeAllRanges();
      sel.addRange(range);
      if (!document.execCommand("insertText", false, suggestion)) {
        range.deleteContents();
        range.insertNode(document.createTextNode(suggestion));
        this.#target.dispatchEvent(new Event("input", { bubbles: true }));
      }
      return;
    }
    const t = this.#target || this.#text;
    t.focus();
    t.setSelectionRange(f.start16, f.end16);
    if (!document.execCommand("insertText", false, suggestion)) {
      t.setRangeText(suggestion, f.start16, f.end16, "end");
      t.dispatchEvent(new Event("input", { bubbles: true }));
    }
  }

  // #underline marks the findings on the page's field: a mirror of a text
  // area laid over it, or highlights in a contenteditable element.
  #underline(text, findings) {
    const t = this.#target;
    if (!(t instanceof HTMLTextAreaElement)) {
      if (!("highlights" in CSS)) return;
      highlightStyles();
      const map = editableText(t);
      const byFamily = new Map();
      for (const f of findings) {
        if (!byFamily.has(f.family)) byFamily.set(f.family, []);
        byFamily.get(f.family).push(map.range(f.start16, f.end16));
      }
      for (const fam of FAMILIES) {
        if (byFamily.has(fam)) CSS.highlights.set(`vigie-${fam}`, new Highlight(...byFamily.get(fam)));
        else CSS.highlights.delete(`vigie-${fam}`);
      }
      return;
    }
    if (!this.#overlay) {
      this.#overlay = el("div", { class: "overlay", "aria-hidden": "true" });
      this.#root.append(this.#overlay);
    }
    this.#overlay.replaceChildren();
    let pos = 0;
    for (const f of findings) {
      if (f.start16 < pos) continue;
      this.#overlay.append(text.slice(pos, f.start16), el("mark", { class: `f-${f.family}` }, text.slice(f.start16, f.end16)));
      pos = f.end16;
    }
    this.#overlay.append(text.slice(pos) + "\n");
    this.#place();
  }

  // #place lays the mirror exactly over the text area.
  #place() {
    const t = this.#target;
    if (!this.#overlay || !(t instanceof HTMLTextAreaElement)) return;
    const r = t.getBoundingClientRect();
    const cs = getComputedStyle(t);
    const o = this.#overlay.style;
    for (const p of MIRROR) o.setProperty(p, cs.getPropertyValue(p));
    Object.assign(o, { left: `${r.left}px`, top: `${r.top}px`, width: `${r.width}px`, height: `${r.height}px` });
    this.#overlay.scrollTop = t.scrollTop;
    this.#overlay.scrollLeft = t.scrollLeft;
  }

  // #hover shows the message of the finding under the pointer.
  #hover(e) {
    const marks = this.#overlay ? [...this.#overlay.querySelectorAll("mark")] : [];
    const i = marks.findIndex((m) => [...m.getClientRects()].some((r) => e.clientX >= r.left && e.clientX <= r.right && e.clientY >= r.top && e.clientY <= r.bottom));
    if (i < 0) return this.#hideTip();
    const f = this.#findings.filter((f, k, all) => k === 0 || f.start16 >= all[k - 1].end16)[i];
    if (!f) return this.#hideTip();
    this.#tip ??= this.#root.appendChild(el("div", { class: "tip", role: "tooltip" }));
    this.#tip.className = `tip f-${f.family}`;
    this.#tip.textContent = f.message;
    Object.assign(this.#tip.style, { left: `${e.clientX + 12}px`, top: `${e.clientY + 16}px` });
    this.#tip.hidden = false;
  }

  #hideTip() {
    if (this.#tip) this.#tip.hidden = true;
  }
}

if (!customElements.get("vigie-checker")) customElements.define("vigie-checker", VigieChecker);

// editableText reads a contenteditable element as text, a line break
// between blocks, and maps UTF-16 offsets of that text back to DOM ranges.
function editableText(root) {
  const parts = []; // { node, start } for text nodes; virtual newlines have no node
  let text = "";
  const block = /^(P|DIV|LI|H[1-6]|BLOCKQUOTE|PRE|TR|UL|OL|SECTION|ARTICLE)$/;
  const walk = (node) => {
    for (const child of node.childNodes) {
      if (child.nodeType === Node.TEXT_NODE) {
        parts.push({ node: child, start: text.length });
        text += child.data;
      } else if (child.nodeName === "BR") {
        text += "\n";
      } else if (child.nodeType === Node.ELEMENT_NODE) {
        const isBlock = block.test(child.nodeName);
        if (isBlock && text && !text.endsWith("\n")) text += "\n";
        walk(child);
        if (isBlock && !text.endsWith("\n")) text += "\n";
      }
    }
  };
  walk(root);
  const point = (offset) => {
    for (let i = parts.length - 1; i >= 0; i--) {
      if (parts[i].start <= offset) return [parts[i].node, Math.min(offset - parts[i].start, parts[i].node.data.length)];
    }
    return [root, 0];
  };
  return {
    text,
    range(start, end) {
      const r = document.createRange();
      r.setStart(...point(start));
      r.setEnd(...point(end));
      return r;
    },
  };
}
