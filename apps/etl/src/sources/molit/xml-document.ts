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
 * Reads a whole document: anything that is not well-formed XML throws NotXmlError. `lists` holds
 * dotted paths (`response.body.items.item`) that are always arrays, so one `<item>` reads the same
 * as many. A document of plain elements only (what MOLIT sends) is read by `readPlainDocument`;
 * anything else goes through saxes (strict, streaming), which also decides what is not XML.
 */
export function readXmlDocument(body: string, lists: ReadonlySet<string>): XmlObject {
  return readPlainDocument(body, lists) ?? readWithSaxes(body, lists);
}

/**
 * What the plain scanner leaves to saxes: entities, CDATA, comments, DOCTYPE, carriage returns
 * (saxes normalises line ends), characters XML forbids, surrogates (they must pair), and `]]>`.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
const NOT_PLAIN = /[&\r\0-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]|<!|\]\]>/;
const DECLARATION =
  /^<\?xml version="1\.0"(?: encoding="[A-Za-z][A-Za-z0-9._-]*")?(?: standalone="(?:yes|no)")? ?\?>/;
const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const BLANK = /^[ \t\n]*$/;

/**
 * The same result as saxes for a document of plain elements (ASCII names, no attributes, no space
 * inside tags, nothing after the declaration but elements and text without `&`), found with
 * indexOf from `<` to `<` instead of a state machine per character: saxes spends about 10 us on
 * a MOLIT item, this about 1. Returns undefined as soon as the document leaves that subset,
 * well-formed or not, and saxes reads it again and raises any error; it accepts nothing saxes
 * refuses (tags match, one root, only blanks outside it).
 */
export function readPlainDocument(body: string, lists: ReadonlySet<string>): XmlObject | undefined {
  if (NOT_PLAIN.test(body)) return undefined;
  const tree = new TreeBuilder(lists);
  // A name as a fresh substring costs a string-table lookup at every property write; the name that
  // followed the previous one last time (the same string, already internal) is checked in place.
  const follows = new Map<string, string>();
  let previous = '';
  let position = DECLARATION.exec(body)?.[0].length ?? 0;
  let textStart = position;
  let rootSeen = false;
  for (;;) {
    const open = body.indexOf('<', position);
    if (open < 0) break;
    if (tree.depth === 0 && !BLANK.test(body.slice(position, open))) return undefined;
    const close = body.indexOf('>', open);
    if (close < 0) return undefined;
    position = close + 1;
    if (body.charCodeAt(open + 1) === 47 /* / */) {
      const name = tree.openName();
      if (name === undefined || close !== open + 2 + name.length || !body.startsWith(name, open + 2))
        return undefined;
      tree.close(body.slice(textStart, open));
      continue;
    }
    const selfClosing = body.charCodeAt(close - 1) === 47;
    const end = selfClosing ? close - 1 : close;
    let name = follows.get(previous);
    if (name === undefined || end !== open + 1 + name.length || !body.startsWith(name, open + 1)) {
      name = body.slice(open + 1, end);
      if (!NAME.test(name)) return undefined;
      follows.set(previous, name);
    }
    previous = name;
    if (tree.depth === 0) {
      if (rootSeen) return undefined;
      rootSeen = true;
    }
    tree.open(name);
    textStart = position;
    if (selfClosing) tree.close('');
  }
  if (!rootSeen || tree.depth !== 0 || !BLANK.test(body.slice(position))) return undefined;
  return tree.root;
}

/** The general reader (strict, streaming): every document the plain scanner leaves, and the judge of what is not XML. */
export function readWithSaxes(body: string, lists: ReadonlySet<string>): XmlObject {
  const parser = new SaxesParser({ position: false });
  const tree = new TreeBuilder(lists);
  const texts: string[] = [];
  parser.on('opentag', (tag) => {
    texts[tree.depth] = '';
    tree.open(tag.name);
  });
  const append = (text: string) => {
    if (tree.depth > 0) texts[tree.depth - 1] += text;
  };
  parser.on('text', append);
  parser.on('cdata', append);
  parser.on('closetag', () => tree.close(texts[tree.depth - 1] as string));
  try {
    parser.write(body).close();
  } catch (error) {
    throw new NotXmlError(error instanceof Error ? error.message : String(error));
  }
  return tree.root;
}

/**
 * Builds the plain-data tree from open and close events. The open elements live in parallel
 * arrays indexed by depth (no object per element: a page has some 20,000 of them).
 */
class TreeBuilder {
  readonly root: XmlObject = {};
  depth = 0;
  private readonly names: string[] = [];
  private readonly children: Array<XmlObject | undefined> = [];
  private readonly listDepths: ReadonlySet<number>;

  constructor(private readonly lists: ReadonlySet<string>) {
    this.listDepths = new Set([...lists].map((path) => path.split('.').length));
  }

  openName(): string | undefined {
    return this.names[this.depth - 1];
  }

  open(name: string): void {
    this.names[this.depth] = name;
    this.children[this.depth] = undefined;
    this.depth += 1;
  }

  /** Closes the innermost element: its value is its children, else `text` trimmed. */
  close(text: string): void {
    this.depth -= 1;
    const depth = this.depth;
    const name = this.names[depth] as string;
    const value: XmlValue = this.children[depth] ?? text.trim();
    let into = this.root;
    if (depth > 0) {
      into = this.children[depth - 1] ?? {};
      this.children[depth - 1] = into;
    }
    const existing = into[name];
    if (existing === undefined) {
      const list =
        this.listDepths.has(depth + 1) && this.lists.has([...this.names.slice(0, depth), name].join('.'));
      into[name] = list ? [value] : value;
    } else if (Array.isArray(existing)) {
      existing.push(value);
    } else {
      into[name] = [existing, value];
    }
  }
}
