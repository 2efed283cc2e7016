// The map's JSON (api:map_data) into a graphology graph: positions, colours, sizes as attributes.
import { edgeAttributes, nodeAttributes } from "./style.js";

export function fillGraph(graph, data) {
  graph.clear();
  const largest = data.size ? Math.max(0, ...data.nodes.map((n) => n.measures[data.size] || 0)) : 0;
  for (const node of data.nodes) {
    graph.addNode(node.key, nodeAttributes(node, data.size, largest, data.colours));
  }
  for (const [i, j, kind, weight] of data.edges) {
    const source = data.nodes[i].key;
    const target = data.nodes[j].key;
    if (!graph.hasEdge(source, target)) graph.addEdge(source, target, edgeAttributes(kind, weight, data.large));
  }
  return graph;
}

// Everyone whose name holds the text, for the search box.
export function findPeople(graph, text) {
  const wanted = text.trim().toLocaleLowerCase();
  if (!wanted) return [];
  return graph.filterNodes((key, attributes) => attributes.name.toLocaleLowerCase().includes(wanted));
}
