import '@testing-library/jest-dom';

// jsdom lays nothing out, so SVG elements have no getBBox; Backstage's DependencyGraph measures its nodes and
// labels with it. A fixed box lets the graph lay out in tests (the browser tier checks the real layout).
Object.defineProperty(window.SVGElement.prototype, 'getBBox', {
  configurable: true,
  value: () => ({ x: 0, y: 0, width: 200, height: 44 }),
});
