/**
 * Places widgets on the dashboard grid row by row, so positions are computed rather than hand-counted: a row's
 * widgets sit left to right from x = 0, and each row starts below the tallest widget of the row above.
 */
import { GRID_WIDTH, Widget } from './widgets';

export type PlacedWidget = Widget & { readonly x: number; readonly y: number };

export function layoutRows(rows: readonly (readonly Widget[])[]): PlacedWidget[] {
  const placed: PlacedWidget[] = [];
  let y = 0;
  rows.forEach((row, index) => {
    if (row.length === 0) throw new Error(`dashboard row ${index}: expected at least one widget`);
    const width = row.reduce((sum, widget) => sum + widget.width, 0);
    if (width > GRID_WIDTH) {
      throw new Error(`dashboard row ${index}: widgets are ${width} units wide; a row holds at most ${GRID_WIDTH}`);
    }
    let x = 0;
    for (const widget of row) {
      placed.push({ ...widget, x, y });
      x += widget.width;
    }
    y += Math.max(...row.map((widget) => widget.height));
  });
  return placed;
}
