// Lists with weights, as in Accept-Encoding and Accept-Language (RFC 9110
// §12.4.2): `name;q=0.8`. The parameter name is case-insensitive; an element
// whose weight is not a valid qvalue is dropped rather than taken as q=1, so
// that "br;q=nonsense" never outranks what the client did ask for.

export interface Weighted {
  /** Lower-cased. */
  name: string;
  q: number;
  /** Position in the header, to break ties. */
  index: number;
}

const QVALUE = /^q=(0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/;

export function weightedList(header: string | null | undefined): Weighted[] {
  if (!header) return [];
  const out: Weighted[] = [];
  header.split(',').forEach((part, index) => {
    const [rawName = '', ...params] = part.split(';').map((x) => x.trim().toLowerCase());
    if (!rawName) return;
    const weights = params.filter((p) => /^q\s*=/.test(p)).map((p) => p.replace(/\s+/g, ''));
    if (weights.length > 1) return;
    if (weights.length === 0) {
      out.push({ name: rawName, q: 1, index });
      return;
    }
    const m = QVALUE.exec(weights[0]!);
    if (m) out.push({ name: rawName, q: Number(m[1]), index });
  });
  return out;
}
