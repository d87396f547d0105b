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

interface Frame {
  name: string;
  text: string;
  children: XmlObject | undefined;
}

/**
 * Reads a whole document in one strict streaming pass (saxes): anything that is not well-formed
 * XML throws NotXmlError. `lists` holds dotted paths (`response.body.items.item`) that are always
 * arrays, so one `<item>` reads the same as many.
 */
export function readXmlDocument(body: string, lists: ReadonlySet<string>): XmlObject {
  const parser = new SaxesParser({ position: false });
  const root: XmlObject = {};
  const stack: Frame[] = [];
  const listDepths = new Set([...lists].map((path) => path.split('.').length));

  parser.on('opentag', (tag) => {
    stack.push({ name: tag.name, text: '', children: undefined });
  });
  parser.on('text', (text) => {
    const top = stack[stack.length - 1];
    if (top) top.text += text;
  });
  parser.on('cdata', (text) => {
    const top = stack[stack.length - 1];
    if (top) top.text += text;
  });
  parser.on('closetag', () => {
    const frame = stack.pop() as Frame;
    const value: XmlValue = frame.children ?? frame.text.trim();
    const into = stack.length === 0 ? root : childrenOf(stack[stack.length - 1] as Frame);
    const existing = into[frame.name];
    if (existing === undefined) {
      const depth = stack.length + 1;
      into[frame.name] = listDepths.has(depth) && lists.has(pathOf(stack, frame.name)) ? [value] : value;
    } else if (Array.isArray(existing)) {
      existing.push(value);
    } else {
      into[frame.name] = [existing, value];
    }
  });

  try {
    parser.write(body).close();
  } catch (error) {
    throw new NotXmlError(error instanceof Error ? error.message : String(error));
  }
  return root;
}

function childrenOf(frame: Frame): XmlObject {
  if (frame.children === undefined) frame.children = {};
  return frame.children;
}

function pathOf(stack: Frame[], name: string): string {
  let path = '';
  for (const frame of stack) path += `${frame.name}.`;
  return path + name;
}
