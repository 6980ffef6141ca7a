import type { Feature, Geometry } from 'geojson';

// The vocabulary of the SVG maps: layers, markers, options, and the text
// sizes the label layout relies on (the stylesheet must not change them).

export type LayerRole = 'subject' | 'context' | 'line';
export type MapFeature = Feature<Geometry | null, Record<string, unknown> | null>;
export type MapPattern = 'hatch' | 'dots';

export interface MapLayer {
  id: string;
  role: LayerRole;
  /** Polygon, MultiPolygon, LineString or MultiLineString features (other geometries are ignored). */
  features: readonly MapFeature[];
  /** Label drawn for a line or area, per feature, already localised, optional. */
  labelOf?: (f: MapFeature) => string | undefined;
  /** The language of a feature's label when it is not the map's (a label not yet translated), optional. */
  labelLangOf?: (f: MapFeature) => string | undefined;
  /** Extra class on a feature's path (e.g. 'is-occupied'), optional. */
  classOf?: (f: MapFeature) => string | undefined;
  /** A pattern drawn over an area, so that colour is not the only cue (e.g. the 1940 occupied zone). */
  patternOf?: (f: MapFeature) => MapPattern | undefined;
}

export type MarkerStyle = 'primary' | 'secondary' | 'muted';
/** 'triangle' points up (e.g. memorials); 'bar' is a flat rounded bar, like a bridge deck. */
export type MarkerShape = 'circle' | 'square' | 'diamond' | 'ring' | 'triangle' | 'bar';

export interface MapMarker {
  id: string;
  lon: number;
  lat: number;
  label: string;
  /** The language of the label when it is not the map's (a name not yet translated). */
  lang?: string;
  href?: string;
  /** Accessible name of the link; defaults to the label (followed by ", " and the sublabel when there is one). */
  name?: string;
  style?: MarkerStyle;
  shape?: MarkerShape;
  sublabel?: string;
  /** data-* attributes to add on the marker group, e.g. { date: '1944-08-22' } for scripts. */
  data?: Record<string, string>;
  /** Label priority (higher placed first). Default from the style: primary 3, secondary 2, muted 1. */
  priority?: number;
  /** Extra classes on the marker (letters, digits and hyphens), e.g. a state the stylesheet shows. */
  classes?: string[];
  /** The position is an estimate: a dashed circle is drawn around the symbol (say it in `name` too). */
  approximate?: boolean;
  /** Part of a picture that its title and description name (a small day map): hidden from assistive technologies, no tooltip. */
  decorative?: boolean;
}

export interface MapOptions {
  width: number;
  /** Computed from the fitted extent when absent. */
  height?: number;
  /** Its accessible name; empty: the map is decorative (aria-hidden, no title or description). */
  title: string;
  description: string;
  /** Unique per SVG in a page: used for the ids of title, desc and patterns. */
  idPrefix: string;
  /** Fit the projection to the subject layers, or to the markers' bounding box (locator maps). */
  fit: 'layers' | 'markers';
  /** Space between the fitted extent and the edge, px. Default 12 ('layers') or 40 ('markers'). */
  padding?: number;
  scaleBar?: { label: (km: number) => string };
  lang?: string;
  className?: string;
  /** Simplification tolerance in px (0 = none). Default 0.75. */
  simplify?: number;
  /** 'markers' fit: smallest extent shown, in km, so that a single place still shows its surroundings. Default 30. */
  minSpanKm?: number;
  /** Labels longer than this are wrapped at spaces on several lines. Default 24. */
  labelMaxChars?: number;
  /** Distances (px) at which a crowded marker's label is tried with a leader line; [] = none. Default [10, 22, 36]. */
  leaders?: number[];
  /** Default: a conformal conic centred on the fitted data (Lambert-like); 'mercator' for small extents or if preferred. */
  projection?: 'conic' | 'mercator';
  /**
   * Moves overlapping markers apart (higher priority moves less), keeping `gap` px
   * between their symbols; a marker moved more than 1.5 px gets a dot at its true
   * position and, once its symbol no longer covers it, a leader line to it. Default on, gap 2.
   */
  displace?: boolean | { gap?: number };
  /**
   * A base map already in the page: the geometry of a map drawn by
   * renderDualMap (its id is dualGeometryId(idPrefix)), with the same layers,
   * and `scale`, this map's width over that map's. The SVG draws it with <use>
   * instead of paths of its own: small maps of the same area side by side
   * then carry no geometry at all. The caller lays this map out on the same
   * frame scaled (height and padding times `scale`).
   */
  sharedBase?: { id: string; scale: number };
  /**
   * Draw the geometry inside `<g id="…">`, so that maps of the same layers,
   * size and frame drawn after it use it with `sharedBase: { id, scale: 1 }`.
   */
  geometryId?: string;
  /**
   * A marker whose name found no room gets a number beside it instead (where
   * one fits), numbered from north to south; the caller lists the numbers
   * with their names in a key (MapLayout.markers[].number). Off by default.
   */
  numberUnlabelled?: boolean;
}

/** Typography the label placement assumes; the stylesheet must not change these sizes. */
export const MAP_TEXT = {
  /** font-size in px, and a width factor (primary labels are bold). */
  primary: { size: 13, width: 1.05 },
  secondary: { size: 12, width: 1 },
  muted: { size: 11, width: 1 },
  sublabel: { size: 10.5, width: 1 },
  /** The number of a marker in the map's key (numberUnlabelled). */
  number: { size: 11, width: 1 },
  line: { size: 11, width: 1 },
  /** Area names may be set in capitals with some letter-spacing by the stylesheet: 1.4 allows for both. */
  area: { size: 12, width: 1.4 },
  scale: { size: 11, width: 1 },
  /** Line height, in em. */
  lineHeight: 1.15,
  /** Baseline below the top of a line box, in em. */
  ascent: 0.9,
  /** Room for the halo around a label, px. */
  halo: 1.5,
} as const;

/** Symbol radius per marker style, px. */
export const MARKER_RADIUS: Record<MarkerStyle, number> = { primary: 5, secondary: 4, muted: 3 };
export const STYLE_PRIORITY: Record<MarkerStyle, number> = { primary: 3, secondary: 2, muted: 1 };
