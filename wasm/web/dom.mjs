// el builds an element: attributes (on… keys add listeners) and children,
// strings always set as text, never parsed as HTML. The text Vigie checks is
// untrusted, and so is anything derived from it.
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") node.className = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v);
  }
  node.append(...children.filter((c) => c != null));
  return node;
}
