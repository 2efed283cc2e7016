// The sector template's regions, drawn as labelled boxes behind the people: HTML laid over the
// canvas and moved with the camera after every frame sigma renders.

export function regionLayer(renderer, container) {
  const layer = document.createElement("div");
  layer.className = "map-regions";
  layer.setAttribute("aria-hidden", "true");
  container.append(layer);
  let regions = [];

  function place() {
    for (const { box, region } of regions) {
      const topLeft = renderer.graphToViewport({ x: region.x, y: -region.y });
      const bottomRight = renderer.graphToViewport({ x: region.x + region.width, y: -(region.y + region.height) });
      box.style.left = `${topLeft.x}px`;
      box.style.top = `${topLeft.y}px`;
      box.style.width = `${Math.max(0, bottomRight.x - topLeft.x)}px`;
      box.style.height = `${Math.max(0, bottomRight.y - topLeft.y)}px`;
    }
  }

  renderer.on("afterRender", place);
  return {
    show(list) {
      layer.replaceChildren();
      regions = (list || []).map((region) => {
        const box = document.createElement("div");
        box.className = "map-region";
        const name = document.createElement("span");
        name.textContent = region.label;
        box.append(name);
        layer.append(box);
        return { box, region };
      });
      place();
    },
  };
}
