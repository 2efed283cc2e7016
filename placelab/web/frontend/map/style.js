// How a person and a tie look: role colours as the source method draws them (hubs yellow,
// gatekeepers green, pulsetakers red; sent by the server from core.networks.roles, so the static
// maps and the GEXF agree), a dark ring and role letters as the cue that does not rely on
// colour, hollow for people who did not answer, double arrows for ties both named.

export const ROLE_LETTERS = { hub: "H", gatekeeper: "G", pulsetaker: "P" };
const RING = "#1b1f24";
const FADED = "#e4e7eb";
const EDGE = { one: "#a3abb6", two: "#5b6572", none: "#97a0ab" };

export function nodeAttributes(node, sizeBy, largest, colours) {
  const role = node.roles[0];
  const colour = role ? colours[role] : colours.other;
  const hollow = node.responded === false;
  const letters = node.roles.map((r) => ROLE_LETTERS[r]).join(" ");
  let size = node.roles.length ? 6 : 4;
  if (sizeBy) {
    const value = node.measures[sizeBy] || 0;
    size = 2.5 + 11 * Math.sqrt(largest > 0 ? value / largest : 0);
  }
  return {
    x: node.x,
    y: -node.y, // the stored layout's y grows downwards (SVG); sigma's grows upwards
    size,
    label: letters ? `${node.label} · ${letters}` : node.label,
    name: node.label,
    color: hollow ? "#ffffff" : colour,
    borderColor: colour,
    borderSize: hollow ? 0.38 : 0.12,
    ringColor: RING,
    ringSize: node.roles.length ? 0.24 : 0,
    match: node.match,
    zIndex: node.roles.length ? 2 : 1,
    ...(node.focus ? { size: size + 4, forceLabel: true, highlighted: true, zIndex: 4 } : {}),
  };
}

// A large map's ties are 1-pixel GL lines (the "thin" program): direction is left to the table.
export function edgeAttributes(kind, weight, large) {
  if (large) return { type: "thin", color: kind === 2 ? EDGE.two : EDGE.one, size: 1, kind, weight };
  if (kind === 2) return { type: "double", color: EDGE.two, size: 1.8, kind, weight };
  if (kind === 1) return { type: "arrow", color: EDGE.one, size: 0.9, kind, weight };
  return { type: "line", color: EDGE.none, size: 1, kind, weight };
}

// Sigma's reducers: what the state (highlight, hover, search) changes, without touching the graph.
export function reducers(currentGraph, state) {
  const nodeReducer = (key, data) => {
    const shown = { ...data };
    const dimmed =
      (state.highlighting && !data.match) ||
      (state.hovered && key !== state.hovered && !state.hoveredNeighbours.has(key));
    if (dimmed) {
      shown.color = FADED;
      shown.borderColor = FADED;
      shown.ringSize = 0;
      shown.label = "";
      shown.zIndex = 0;
    }
    // A few highlighted people are drawn larger (so labelled where there is room) to be found at once.
    if (!dimmed && state.highlighting && data.match && state.matches <= 40) {
      shown.size = data.size + 2;
      shown.zIndex = 3;
    }
    if (state.found.has(key)) {
      shown.highlighted = true;
      shown.forceLabel = true;
      shown.zIndex = 3;
    }
    return shown;
  };
  const edgeReducer = (key, data) => {
    const graph = currentGraph();
    const [source, target] = graph.extremities(key);
    if (state.hovered && source !== state.hovered && target !== state.hovered) {
      return { ...data, hidden: true };
    }
    if (state.highlighting) {
      const a = graph.getNodeAttribute(source, "match");
      const b = graph.getNodeAttribute(target, "match");
      const kept = state.tiesTouching ? a || b : a && b;
      if (!kept) return { ...data, color: FADED, size: 0.5 };
    }
    return data;
  };
  return { nodeReducer, edgeReducer };
}
