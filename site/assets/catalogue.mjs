// The rule catalogue's filters and search. Without JavaScript the whole
// catalogue is shown and the filters stay hidden.

const $ = (id) => document.getElementById(id);

// fold matches the engine's folding: no case, no accents, one apostrophe.
const fold = (s) =>
  s.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase().replace(/[’ʼ‘]/g, "'").replace(/œ/g, "oe").replace(/æ/g, "ae");

const rows = [...document.querySelectorAll("#catalogue tbody tr")];
const controls = ["q", "f-lang", "f-family", "f-category", "f-severity"].map($);

function apply() {
  const words = fold($("q").value).split(/\s+/).filter(Boolean);
  const want = { lang: $("f-lang").value, family: $("f-family").value, category: $("f-category").value, severity: $("f-severity").value };
  let shown = 0;
  for (const row of rows) {
    const ok =
      Object.entries(want).every(([k, v]) => !v || row.dataset[k] === v) && words.every((w) => row.dataset.search.includes(w));
    row.hidden = !ok;
    if (ok) shown++;
  }
  $("count").value = String(shown);
}

for (const c of controls) c.addEventListener("input", apply);
$("filters").addEventListener("submit", (e) => e.preventDefault());
$("filters").hidden = false;
const q = new URLSearchParams(location.search).get("q");
if (q) $("q").value = q;
apply();
