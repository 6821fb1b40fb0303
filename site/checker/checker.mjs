// The checker page: highlights findings in place as the reader types, lists
// them by family with their explanation and sources, applies suggestions,
// and never sends the text anywhere.

import { createChecker } from "../vigie/vigie.mjs";
import { el } from "../vigie/dom.mjs";

const FAMILIES = ["epistemic", "framing", "stereotype", "generalisation", "toxicity", "inclusive-writing"];

const STRINGS = {
  fr: {
    skip: "Aller au texte",
    tagline: "Repérez les formulations chargées, partiales, stéréotypées ou non étayées, et une façon plus neutre de les dire.",
    textLang: "Langue du texte", auto: "Détection automatique", severity: "Afficher à partir de",
    "sev-info": "information", "sev-suggestion": "suggestion", "sev-warning": "avertissement",
    compareTitle: "Comparer avec un second texte", textB: "Second texte (B), par exemple la réponse d'un autre assistant à la même question",
    compareHead: ["", "A (texte principal)", "B"], words: "mots", findingsRow: "signalements", onlyA: "Seulement dans A", onlyB: "Seulement dans B", both: "Dans les deux",
    families: "Familles", conventions: "Conventions d'écriture (désactivées par défaut)", textLabel: "Texte à vérifier", undo: "Annuler la dernière correction",
    export: "Exporter le rapport (JSON)", findings: "Signalements",
    privacy: "Le texte ne quitte pas votre navigateur : la vérification se fait sur votre appareil, sans aucune requête réseau, et fonctionne hors ligne une fois la page chargée.",
    notVerdict: "Un signalement invite à réfléchir ; ce n'est pas un verdict.",
    "fam-epistemic": "Épistémique", "fam-framing": "Cadrage", "fam-stereotype": "Stéréotype",
    "fam-generalisation": "Généralisation", "fam-toxicity": "Toxicité", "fam-inclusive-writing": "Écriture inclusive",
    loading: "Chargement du vérificateur…", ready: "Prêt. Collez ou tapez un texte.",
    checked: (n, w) => `${n} signalement${n > 1 ? "s" : ""} dans ${w} mot${w > 1 ? "s" : ""}.`,
    none: "Aucun signalement à ce niveau.", detected: (l) => `détectée : ${l === "fr" ? "français" : "anglais"}`,
    replace: (s) => `Remplacer par « ${s} »`, why: "Pourquoi ?", sources: "Sources", rulePage: "Page de la règle",
    quoted: (who) => (who ? `Entre guillemets : propos de ${who}` : "Entre guillemets : propos rapportés"),
    show: "Voir dans le texte", applied: (s) => `Remplacé par « ${s} ».`, undone: "Correction annulée.",
    stale: "Le texte a changé : vérifiez de nouveau avant de remplacer.",
    summaryFamily: "Famille", summaryCount: "Nombre", summaryRate: "pour 1 000 mots", topRules: "Règles les plus fréquentes",
    error: (m) => `Erreur : ${m}`, severityName: { info: "information", suggestion: "suggestion", warning: "avertissement" },
    other: "English", version: (v) => `Vigie ${v.version}, jeu de règles ${v.ruleset} (${v.rules} règles)${v.model ? `, modèle ${v.model.name}` : ""}`,
    sentencesToggle: "Lire aussi chaque phrase (modèle statistique)", modelCard: "fiche du modèle",
    modelLoading: "Chargement du modèle de phrases…",
    sentencesTitle: (n) => `Phrases que le modèle juge orientées (${n})`,
    sentenceWhy: (s, th) => `Le modèle juge la formulation de cette phrase orientée plutôt que neutre : score ${s.toFixed(2).replace(".", ",")} (marquée à partir de ${th.toFixed(2).replace(".", ",")}). C'est un jugement statistique sur la phrase entière, pas sur un mot : relisez-la, il peut se tromper.`,
    marked: (m) => (m ? ` ${m} phrase${m > 1 ? "s" : ""} marquée${m > 1 ? "s" : ""} par le modèle.` : ""),
  },
  en: {
    skip: "Skip to the text",
    tagline: "Spot loaded, one-sided, stereotyping or unsupported wording, and a more neutral way to say it.",
    textLang: "Language of the text", auto: "Detect automatically", severity: "Show from",
    "sev-info": "info", "sev-suggestion": "suggestion", "sev-warning": "warning",
    compareTitle: "Compare with a second text", textB: "Second text (B), for instance another assistant's answer to the same question",
    compareHead: ["", "A (main text)", "B"], words: "words", findingsRow: "findings", onlyA: "Only in A", onlyB: "Only in B", both: "In both",
    families: "Families", conventions: "Writing conventions (off by default)", textLabel: "Text to check", undo: "Undo the last correction",
    export: "Export the report (JSON)", findings: "Findings",
    privacy: "Your text never leaves your browser: it is checked on your device, without any network request, and the page works offline once loaded.",
    notVerdict: "A finding is a prompt to think, not a verdict.",
    "fam-epistemic": "Epistemic", "fam-framing": "Framing", "fam-stereotype": "Stereotype",
    "fam-generalisation": "Generalisation", "fam-toxicity": "Toxicity", "fam-inclusive-writing": "Inclusive writing",
    loading: "Loading the checker…", ready: "Ready. Paste or type a text.",
    checked: (n, w) => `${n} finding${n === 1 ? "" : "s"} in ${w} word${w === 1 ? "" : "s"}.`,
    none: "No finding at this level.", detected: (l) => `detected: ${l === "fr" ? "French" : "English"}`,
    replace: (s) => `Replace with “${s}”`, why: "Why?", sources: "Sources", rulePage: "Rule page",
    quoted: (who) => (who ? `In quotation marks: words of ${who}` : "In quotation marks: reported words"),
    show: "Show in the text", applied: (s) => `Replaced with “${s}”.`, undone: "Correction undone.",
    stale: "The text has changed: check again before replacing.",
    summaryFamily: "Family", summaryCount: "Count", summaryRate: "per 1,000 words", topRules: "Most frequent rules",
    error: (m) => `Error: ${m}`, severityName: { info: "info", suggestion: "suggestion", warning: "warning" },
    other: "Français", version: (v) => `Vigie ${v.version}, ruleset ${v.ruleset} (${v.rules} rules)${v.model ? `, model ${v.model.name}` : ""}`,
    sentencesToggle: "Also read each sentence (statistical model)", modelCard: "model card",
    modelLoading: "Loading the sentence model…",
    sentencesTitle: (n) => `Sentences the model finds loaded (${n})`,
    sentenceWhy: (s, th) => `The model finds this sentence's wording loaded rather than neutral: score ${s.toFixed(2)} (marked from ${th.toFixed(2)}). It is a statistical judgement on the whole sentence, not on one word: read it again, the model can be wrong.`,
    marked: (m) => (m ? ` ${m} sentence${m === 1 ? "" : "s"} marked by the model.` : ""),
  },
};

const $ = (id) => document.getElementById(id);
const text = $("text");
const backdrop = $("backdrop");
const state = {
  ui: (navigator.language || "fr").toLowerCase().startsWith("fr") ? "fr" : "en",
  report: null,
  rules: new Map(),
  undo: [],
  seq: 0,
  checker: null,
};
const t = (key, ...args) => {
  const v = STRINGS[state.ui][key];
  return typeof v === "function" ? v(...args) : v;
};

function applyLanguage() {
  document.documentElement.lang = state.ui;
  for (const node of document.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
  $("ui-lang").textContent = t("other");
  $("ui-lang").lang = state.ui === "fr" ? "en" : "fr";
  document.title = state.ui === "fr" ? "Vigie — vérifier un texte" : "Vigie — check a text";
  $("home").href = `../${state.ui}/index.html`;
  $("model-card").href = `../${state.ui}/model.html`;
  for (const f of FAMILIES) {
    const label = document.querySelector(`label[data-family="${f}"] span`);
    if (label) label.textContent = t(`fam-${f}`);
  }
  if (state.checker) {
    $("version").textContent = t("version", state.checker.info);
    for (const c of state.checker.info.conventions) {
      const label = document.querySelector(`label[data-convention="${c.id}"]`);
      label.querySelector("span").textContent = conventionName(c);
      label.title = c.explanation[state.ui];
    }
  }
}

const conventionName = (c) => `${c.name[state.ui]} (${c.lang === "fr" ? (state.ui === "fr" ? "français" : "French") : state.ui === "fr" ? "anglais" : "English"})`;

// Conventions are choices, not biases: their rules stay off until the reader
// ticks one (see the portal's page on inclusive writing).
function buildConventionToggles(conventions) {
  const box = $("conventions");
  for (const c of conventions) {
    const input = el("input", { type: "checkbox", id: `conv-${c.id}`, value: c.id });
    input.addEventListener("change", schedule);
    box.append(el("label", { for: `conv-${c.id}`, "data-convention": c.id, title: c.explanation[state.ui] }, input, " ", el("span", {}, conventionName(c))));
  }
  box.hidden = conventions.length === 0;
}

function buildFamilyToggles() {
  const box = $("families");
  for (const f of FAMILIES) {
    const input = el("input", { type: "checkbox", id: `fam-${f}`, value: f, checked: "" });
    input.addEventListener("change", schedule);
    box.append(el("label", { for: `fam-${f}`, "data-family": f }, input, " ", el("span", {}, t(`fam-${f}`))));
  }
}

// options are the check's options; families lists the ticked families, all
// of them being the engine's default.
function options(families) {
  return {
    lang: $("lang").value,
    min_severity: $("severity").value,
    ui_lang: state.ui,
    families: families.length === FAMILIES.length ? [] : families,
    conventions: [...document.querySelectorAll("#conventions input:checked")].map((i) => i.value),
    sentences: state.modelLoaded && $("sentences").checked,
  };
}

let timer, compareTimer;
function schedule() {
  clearTimeout(timer);
  timer = setTimeout(run, 120);
}

async function run() {
  const seq = ++state.seq;
  const value = text.value;
  if (!state.checker) return;
  const families = FAMILIES.filter((f) => $(`fam-${f}`).checked);
  if (!value.trim() || !families.length) {
    state.report = null;
    render(value);
    $("status").textContent = value.trim() ? t("none") : t("ready");
    return;
  }
  const opts = options(families);
  try {
    const report = await state.checker.check(value, opts);
    if (seq !== state.seq) return; // a newer check is on its way
    state.report = report;
    state.reportText = value;
    render(value);
  } catch (err) {
    if (seq !== state.seq) return;
    $("status").textContent = t("error", err.message);
  }
}

// Highlights: a backdrop behind the transparent text area holds the same
// text, with the flagged spans wrapped in <mark>, inside the sentences the
// model marked, wrapped in <span class="sentence-mark">.
function renderBackdrop(value, findings, sentences) {
  backdrop.replaceChildren();
  // range appends value[from, to) to parent, with the findings that start in it.
  const range = (parent, from, to) => {
    let pos = from;
    for (const f of findings) {
      if (f.start16 < pos || f.start16 >= to) continue; // overlapping spans: the first one is drawn
      const end = Math.min(f.end16, to);
      parent.append(value.slice(pos, f.start16), el("mark", { class: `fam-${f.family}` }, value.slice(f.start16, end)));
      pos = end;
    }
    parent.append(value.slice(pos, to));
  };
  let pos = 0;
  for (const s of sentences) {
    if (s.start16 < pos) continue;
    range(backdrop, pos, s.start16);
    const span = el("span", { class: "sentence-mark" });
    range(span, s.start16, s.end16);
    backdrop.append(span);
    pos = s.end16;
  }
  range(backdrop, pos, value.length);
  backdrop.append("\n"); // a final newline keeps heights equal
  backdrop.scrollTop = text.scrollTop;
}

function render(value) {
  // Tests (and anything else that drives the page) wait for this.
  window.vigieChecked = value;
  const report = state.report;
  const findings = report ? report.findings : [];
  const sentences = (report && report.sentences) || [];
  renderBackdrop(value, findings, sentences);
  $("export").disabled = !report;
  $("detected").textContent = report && $("lang").value === "auto" && report.lang ? t("detected", report.lang) : "";
  if (report) $("status").textContent = t("checked", findings.length, report.stats.words) + t("marked", sentences.length);
  renderSummary(report);
  renderList(findings);
  renderSentences(sentences);
  compare();
}

// compare checks the second text with the same options and shows what each
// text has that the other has not, in findings (as vigie diff does).
async function compare() {
  const box = $("comparison");
  const valueB = $("text-b").value;
  const families = FAMILIES.filter((f) => $(`fam-${f}`).checked);
  if (!state.checker || !state.report || !valueB.trim() || !families.length) {
    box.replaceChildren();
    window.vigieCompared = valueB;
    return;
  }
  const reportA = state.report;
  let reportB;
  try {
    reportB = await state.checker.check(valueB, options(families));
  } catch (err) {
    box.replaceChildren(el("p", {}, t("error", err.message)));
    return;
  }
  if ($("text-b").value !== valueB || state.report !== reportA) return; // stale
  const rulesOf = (r) => {
    const m = new Map();
    for (const f of r.findings) m.set(f.rule, [...(m.get(f.rule) || []), f.text]);
    return m;
  };
  const a = rulesOf(reportA), b = rulesOf(reportB);
  const rate = (r) => ((r.findings.length * 1000) / Math.max(r.stats.words, 1)).toFixed(1);
  const row = (label, x, y) => el("tr", {}, el("th", { scope: "row" }, label), el("td", { class: "num" }, String(x)), el("td", { class: "num" }, String(y)));
  const body = el("tbody", {},
    row(t("words"), reportA.stats.words, reportB.stats.words),
    row(t("findingsRow"), reportA.findings.length, reportB.findings.length),
    row(t("summaryRate"), rate(reportA), rate(reportB)));
  for (const f of FAMILIES) {
    const x = reportA.stats.by_family[f] || 0, y = reportB.stats.by_family[f] || 0;
    if (x + y) body.append(row(t(`fam-${f}`), x, y));
  }
  const head = el("thead", {}, el("tr", {}, ...t("compareHead").map((h) => el("th", { scope: "col" }, h))));
  const list = (title, id, ids, spans) => {
    if (!ids.length) return [];
    return [el("h3", {}, title), el("ul", { id }, ...ids.map((r) => el("li", { "data-rule": r }, el("code", {}, r), " ", spans(r).map((s) => (state.ui === "fr" ? `« ${s} »` : `“${s}”`)).join(", "))))];
  };
  const onlyA = [...a.keys()].filter((r) => !b.has(r)).sort();
  const onlyB = [...b.keys()].filter((r) => !a.has(r)).sort();
  const both = [...a.keys()].filter((r) => b.has(r)).sort();
  box.replaceChildren(el("table", {}, head, body),
    ...list(t("onlyA"), "only-a", onlyA, (r) => a.get(r)),
    ...list(t("onlyB"), "only-b", onlyB, (r) => b.get(r)),
    ...list(t("both"), "in-both", both, (r) => [...a.get(r), ...b.get(r)]));
  window.vigieCompared = valueB;
}

function renderSummary(report) {
  const box = $("summary");
  box.replaceChildren();
  if (!report || !report.findings.length) {
    if (report) box.append(el("p", {}, t("none")));
    return;
  }
  const words = Math.max(report.stats.words, 1);
  const table = el("table", {}, el("thead", {}, el("tr", {}, el("th", {}, t("summaryFamily")), el("th", {}, t("summaryCount")), el("th", {}, t("summaryRate")))));
  const body = el("tbody");
  for (const f of FAMILIES) {
    const n = report.stats.by_family[f] || 0;
    if (n) body.append(el("tr", { class: `fam-${f}` }, el("td", {}, t(`fam-${f}`)), el("td", { class: "num" }, String(n)), el("td", { class: "num" }, ((n * 1000) / words).toFixed(1))));
  }
  table.append(body);
  const counts = new Map();
  for (const f of report.findings) counts.set(f.rule, (counts.get(f.rule) || 0) + 1);
  const top = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 5);
  box.append(table, el("h3", {}, t("topRules")), el("ol", { class: "top-rules" }, ...top.map(([id, n]) => el("li", {}, `${id} (${n})`))));
}

function renderList(findings) {
  const box = $("findings");
  box.replaceChildren();
  for (const family of FAMILIES) {
    const items = findings.filter((f) => f.family === family);
    if (!items.length) continue;
    const list = el("ol");
    for (const f of items) list.append(renderFinding(f));
    box.append(el("section", { class: `family fam-${family}`, "aria-label": t(`fam-${family}`) }, el("h3", {}, `${t(`fam-${family}`)} (${items.length})`), list));
  }
}

function renderSentences(sentences) {
  const box = $("sentence-marks");
  box.replaceChildren();
  if (!sentences.length) return;
  const threshold = state.checker.info.model ? state.checker.info.model.threshold : 0;
  const list = el("ol");
  for (const s of sentences) {
    list.append(el("li", { class: "sentence-item" },
      el("p", {}, s.text),
      el("p", { class: "meta" }, t("sentenceWhy", s.score, threshold)),
      ...(s.quoted ? [el("p", { class: "meta" }, t("quoted", s.speaker))] : []),
      el("div", {}, el("button", { type: "button", onclick: () => select(s) }, t("show")))));
  }
  box.append(el("section", { "aria-label": t("sentencesTitle", sentences.length) }, el("h3", {}, t("sentencesTitle", sentences.length)), list));
}

// loadModel fetches the sentence model from the site, once, when the
// reader ticks the box. It is off by default: on neutral text the model
// marks far more sentences than the rules flag (see its model card).
async function loadModel() {
  if (state.modelLoaded || state.modelLoading || !$("sentences").checked) return;
  state.modelLoading = true;
  const before = $("status").textContent;
  $("status").textContent = t("modelLoading");
  try {
    state.checker.info = await state.checker.loadModel();
    state.modelLoaded = true;
    applyLanguage();
    $("status").textContent = before;
  } catch (err) {
    $("status").textContent = t("error", err.message);
  } finally {
    state.modelLoading = false;
  }
}

function renderFinding(f) {
  const rule = state.rules.get(f.rule);
  const item = el("li", { class: `finding fam-${f.family}`, "data-rule": f.rule });
  item.append(
    el("p", {}, el("span", { class: "span" }, f.text), " — ", f.message),
    el("p", { class: "meta" }, `${t("severityName")[f.severity]} · ${f.category} · ${f.rule}`),
  );
  if (f.quoted) item.append(el("p", { class: "meta" }, t("quoted", f.speaker)));
  if (rule) {
    const details = el("details", {}, el("summary", {}, t("why")), el("p", {}, state.ui === "fr" ? rule.explanation.fr : rule.explanation.en));
    const sources = el("ul");
    for (const s of rule.sources) {
      const label = s.locator ? `${s.title} (${s.locator})` : s.title;
      sources.append(el("li", {}, s.url ? el("a", { href: s.url, rel: "noopener noreferrer", target: "_blank" }, label) : label));
    }
    details.append(el("p", {}, t("sources")), sources, el("p", {}, el("a", { href: `../${f.page}` }, t("rulePage"))));
    item.append(details);
  }
  const actions = el("div", { class: "suggestions" });
  actions.append(el("button", { type: "button", onclick: () => select(f) }, t("show")));
  for (const s of f.suggestions) actions.append(el("button", { type: "button", class: "apply", onclick: () => apply(f, s) }, t("replace", s)));
  item.append(actions);
  return item;
}

function select(f) {
  text.focus();
  text.setSelectionRange(f.start16, f.end16);
}

// apply replaces a finding's span with a suggestion, as an edit the browser
// can undo too, and keeps our own undo stack for the Undo button.
function apply(f, suggestion) {
  const value = text.value;
  if (value !== state.reportText || value.slice(f.start16, f.end16) !== f.text) {
    $("status").textContent = t("stale");
    return;
  }
  state.undo.push({ value, start: f.start16, end: f.start16 + suggestion.length, original: f.text });
  text.focus();
  text.setSelectionRange(f.start16, f.end16);
  if (!document.execCommand || !document.execCommand("insertText", false, suggestion)) {
    text.setRangeText(suggestion, f.start16, f.end16, "end");
  }
  $("undo").disabled = false;
  $("status").textContent = t("applied", suggestion);
  run();
}

function undo() {
  const last = state.undo.pop();
  if (!last) return;
  text.value = last.value;
  text.focus();
  text.setSelectionRange(last.start, last.start + last.original.length);
  $("undo").disabled = !state.undo.length;
  $("status").textContent = t("undone");
  run();
}

function exportReport() {
  if (!state.report) return;
  const blob = new Blob([JSON.stringify({ text: state.reportText, report: state.report }, null, 2)], { type: "application/json" });
  const a = el("a", { href: URL.createObjectURL(blob), download: "vigie-report.json" });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

async function start() {
  buildFamilyToggles();
  applyLanguage();
  $("status").textContent = t("loading");
  text.addEventListener("input", schedule);
  $("text-b").addEventListener("input", () => {
    clearTimeout(compareTimer);
    compareTimer = setTimeout(compare, 120);
  });
  text.addEventListener("scroll", () => (backdrop.scrollTop = text.scrollTop));
  for (const id of ["lang", "severity"]) $(id).addEventListener("change", schedule);
  $("sentences").addEventListener("change", () => (window.vigieModel = loadModel().then(run)));
  $("undo").addEventListener("click", undo);
  $("export").addEventListener("click", exportReport);
  $("ui-lang").addEventListener("click", () => {
    state.ui = state.ui === "fr" ? "en" : "fr";
    applyLanguage();
    run();
  });
  state.checker = await createChecker();
  performance.mark("vigie-ready"); // for anyone measuring the page's start
  buildConventionToggles(state.checker.info.conventions);
  applyLanguage();
  $("status").textContent = t("ready");
  // The rules' explanations and sources, and the offline copy, come after:
  // checking does not wait for them.
  state.checker.rules().then((rules) => {
    for (const r of rules) state.rules.set(r.id, r);
    if (state.report) renderList(state.report.findings);
  });
  window.vigieOffline =
    "serviceWorker" in navigator && location.protocol !== "file:"
      ? navigator.serviceWorker.register("../sw.js").then(() => navigator.serviceWorker.ready)
      : Promise.resolve();
  await run();
  // The sentence model, when the box is ticked (a reload keeps it), comes
  // after the rules are ready: checking with the rules does not wait for it.
  window.vigieModel = loadModel().then(run);
}

// Tests and curious readers can wait for these: vigieReady when the engine
// is loaded, vigieOffline when the page is kept for offline use.
window.vigieReady = start().catch((err) => {
  $("status").textContent = t("error", err.message);
  throw err;
});
