import { SaxesParser } from 'saxes';

/**
 * An element as plain data: a leaf is its trimmed text, an element with children an object of
 * them; a repeated child becomes an array (as do the names in `lists`, even when single).
 * Attributes, comments and processing instructions are dropped.
 */
export type XmlValue = string | XmlObject | XmlValue[];
export interface XmlObject {
  [name: string]: XmlValue;
}

export class NotXmlError extends Error {
  override readonly name = 'NotXmlError';
}

/**
 * Reads a whole document in one strict streaming pass (saxes): anything that is not well-formed
 * XML throws NotXmlError. `lists` holds dotted paths (`response.body.items.item`) that are always
 * arrays, so one `<item>` reads the same as many. The open elements live in parallel arrays
 * indexed by depth (no object per element: a page has some 20,000 of them).
 */
export function readXmlDocument(body: string, lists: ReadonlySet<string>): XmlObject {
  const parser = new SaxesParser({ position: false });
  const root: XmlObject = {};
  const names: string[] = [];
  const texts: string[] = [];
  const children: Array<XmlObject | undefined> = [];
  const listDepths = new Set([...lists].map((path) => path.split('.').length));
  let depth = 0;

  parser.on('opentag', (tag) => {
    names[depth] = tag.name;
    texts[depth] = '';
    children[depth] = undefined;
    depth += 1;
  });
  const append = (text: string) => {
    if (depth > 0) texts[depth - 1] += text;
  };
  parser.on('text', append);
  parser.on('cdata', append);
  parser.on('closetag', () => {
    depth -= 1;
    const name = names[depth] as string;
    const value: XmlValue = children[depth] ?? (texts[depth] as string).trim();
    let into = root;
    if (depth > 0) {
      into = children[depth - 1] ?? {};
      children[depth - 1] = into;
    }
    const existing = into[name];
    if (existing === undefined) {
      const single = !listDepths.has(depth + 1) || !lists.has([...names.slice(0, depth), name].join('.'));
      into[name] = single ? value : [value];
    } else if (Array.isArray(existing)) {
      existing.push(value);
    } else {
      into[name] = [existing, value];
    }
  });

  try {
    parser.write(body).close();
  } catch (error) {
    throw new NotXmlError(error instanceof Error ? error.message : String(error));
  }
  return root;
}
