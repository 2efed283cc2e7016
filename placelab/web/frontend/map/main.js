// The browser map: sigma.js (WebGL) drawing a graphology graph filled from api:map_data.
import { createNodeBorderProgram } from "@sigma/node-border";
import Graph from "graphology";
import Sigma from "sigma";
import { EdgeArrowProgram, EdgeDoubleArrowProgram, EdgeLineProgram, EdgeRectangleProgram } from "sigma/rendering";

import { enhanceForm } from "./form.js";
import { fillGraph, findPeople } from "./graph.js";
import { regionLayer } from "./regions.js";
import { reducers } from "./style.js";

const NodeProgram = createNodeBorderProgram({
  borders: [
    { size: { attribute: "ringSize", defaultValue: 0 }, color: { attribute: "ringColor" } },
    { size: { attribute: "borderSize", defaultValue: 0.12 }, color: { attribute: "borderColor" } },
    { size: { fill: true }, color: { attribute: "color" } },
  ],
});

function start(container) {
  const state = { highlighting: false, hovered: null, hoveredNeighbours: new Set(), found: new Set() };
  // Each view from the server is a fresh graph handed to sigma whole (setGraph): filling the
  // graph sigma draws would make it process thousands of "node added" events one by one.
  const map = { graph: new Graph({ type: "directed" }) };
  const renderer = new Sigma(map.graph, container, {
    defaultNodeType: "person",
    nodeProgramClasses: { person: NodeProgram },
    edgeProgramClasses: { arrow: EdgeArrowProgram, double: EdgeDoubleArrowProgram, line: EdgeRectangleProgram, thin: EdgeLineProgram },
    zIndex: true,
    labelFont: "system-ui, sans-serif",
    labelSize: 13,
    labelRenderedSizeThreshold: 5,
    // Ties stay drawn while the map moves: hiding them made every stop redraw them all at once,
    // a longer frame on a CPU renderer than drawing thin lines all along (bench/README.md).
    hideEdgesOnMove: false,
    ...reducers(() => map.graph, state),
  });
  const regions = regionLayer(renderer, container);
  map.renderer = renderer;
  map.state = state;
  window.placelabMap = map;

  async function load(query) {
    const response = await fetch(`${container.dataset.jsonUrl}?${query}`, { credentials: "same-origin" });
    const data = await response.json();
    performance.mark("map:data"); // bench/map.py reads these marks to say where the time goes
    if (data.unavailable) return;
    const graph = fillGraph(new Graph({ type: "directed" }), data);
    performance.mark("map:graph");
    regions.show(data.regions);
    fillSuggestions(data.nodes);
    state.highlighting = data.highlighting;
    state.tiesTouching = data.ties_touching;
    state.matches = data.nodes.filter((node) => node.match).length;
    state.found = new Set();
    // Settings and camera changes each ask sigma for one more full refresh: only when needed.
    state.large = data.large;
    const camera = renderer.getCamera();
    if (camera.ratio !== 1 || camera.x !== 0.5 || camera.y !== 0.5) camera.setState({ x: 0.5, y: 0.5, ratio: 1, angle: 0 });
    map.graph = graph;
    renderer.setGraph(graph); // draws it
    performance.mark("map:drawn");
    requestAnimationFrame(() => performance.mark("map:painted"));
    container.dataset.drawn = `${graph.order} ${graph.size}`;
    container.dispatchEvent(new CustomEvent("map:drawn", { bubbles: true }));
  }

  // Pointing at someone fades everyone but their neighbours: a pass over every tie, left out
  // on a large map (sigma still shows the name).
  renderer.on("enterNode", ({ node }) => {
    if (state.large) return;
    state.hovered = node;
    state.hoveredNeighbours = new Set(map.graph.neighbors(node));
    renderer.refresh({ skipIndexation: true });
  });
  renderer.on("leaveNode", () => {
    if (state.large) return;
    state.hovered = null;
    state.hoveredNeighbours = new Set();
    renderer.refresh({ skipIndexation: true });
  });
  // Choosing a person opens their own view: them and their ties, two steps out.
  renderer.on("clickNode", ({ node }) => {
    const query = new URLSearchParams(location.search);
    query.set("person", node);
    location.assign(`${location.pathname}?${query}`);
  });

  const search = document.querySelector("#f-q");
  if (search) {
    search.addEventListener("input", () => {
      const found = findPeople(map.graph, search.value);
      state.found = new Set(found.length <= 50 ? found : []);
      if (found.length === 1) {
        const place = renderer.getNodeDisplayData(found[0]);
        renderer.getCamera().animate({ x: place.x, y: place.y, ratio: 0.4 }, { duration: 400 });
      }
      container.dataset.found = found.join(" ");
      renderer.refresh({ skipIndexation: true });
    });
  }

  const form = document.querySelector("#map-filters");
  if (form) enhanceForm(form, { load });
  return load(container.dataset.query || "");
}

// The search box's suggestions: everyone's name, unless there are too many to be of help.
function fillSuggestions(nodes) {
  const list = document.querySelector("#map-people");
  if (!list) return;
  list.replaceChildren(
    ...(nodes.length <= 3000 ? nodes : []).map((node) => Object.assign(document.createElement("option"), { value: node.label })),
  );
}

const container = document.querySelector("#map");
if (container) start(container);
