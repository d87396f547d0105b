import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { molitResponse } from '../../dev/stand-in/molit';
import { readPlainDocument, readWithSaxes, readXmlDocument } from '../../src/sources/molit/xml-document';

const LISTS = new Set(['response.body.items.item']);
const FIXTURES = join(__dirname, '../../dev/fixtures/molit');

const saxesResult = (body: string) => {
  try {
    return readWithSaxes(body, LISTS);
  } catch {
    return 'not xml';
  }
};

describe('readPlainDocument', () => {
  const fixtures = readdirSync(FIXTURES).flatMap((region) =>
    readdirSync(join(FIXTURES, region)).map((file) => readFileSync(join(FIXTURES, region, file), 'utf8')),
  );
  const synthetic = [1, 2].map((pageNo) =>
    molitResponse(
      FIXTURES,
      new Map(),
      { perPeriod: 1500 },
      new URLSearchParams({
        serviceKey: 'k',
        LAWD_CD: '90001',
        DEAL_YMD: '202412',
        pageNo: String(pageNo),
        numOfRows: '1000',
      }),
      { short: false },
    ).toString(),
  );

  it('reads MOLIT pages (fixtures and synthetic) itself, to the same tree as saxes', () => {
    for (const body of [...fixtures, ...synthetic]) {
      const plain = readPlainDocument(body, LISTS);
      expect(plain).toBeDefined();
      expect(plain).toEqual(readWithSaxes(body, LISTS));
    }
  });

  it('reads one item as a list, an empty element as an empty string, and blanks around the root', () => {
    const body = `<?xml version="1.0"?>\n<response><body><items><item><a> x </a><b/><c></c></item></items><n>1</n><n>2</n></body></response>\n`;
    expect(readPlainDocument(body, LISTS)).toEqual({
      response: { body: { items: { item: [{ a: 'x', b: '', c: '' }] }, n: ['1', '2'] } },
    });
    expect(readPlainDocument(body, LISTS)).toEqual(readWithSaxes(body, LISTS));
  });

  // Each is either outside the plain subset (saxes decides) or not XML at all: never read here.
  it.each([
    ['an entity', '<r><a>A&amp;B</a></r>'],
    ['CDATA', '<r><a><![CDATA[x]]></a></r>'],
    ['a comment', '<r><!-- c --><a>x</a></r>'],
    ['a DOCTYPE', '<!DOCTYPE r><r/>'],
    ['an attribute', '<r><a id="1">x</a></r>'],
    ['a space inside a tag', '<r><a >x</a ></r>'],
    ['a namespace prefix', '<r><m:a>x</m:a></r>'],
    ['a carriage return', '<r><a>x\r\ny</a></r>'],
    ['a processing instruction', '<r><?pi x?><a>x</a></r>'],
    ['another XML version', '<?xml version="1.1"?><r/>'],
    ['a byte order mark', '\ufeff<r/>'],
    ['a forbidden character', '<r><a>x\u0001</a></r>'],
    ['a surrogate pair', '<r><a>\ud83c\udfe0</a></r>'],
    ['"]]>" in text', '<r><a>x]]>y</a></r>'],
    ['mismatched tags', '<r><a>x</b></r>'],
    ['a close tag that is a prefix', '<r><ab>x</a></r>'],
    ['an unclosed element', '<r><a>x</a>'],
    ['two roots', '<r/><s/>'],
    ['text outside the root', '<r/>x'],
    ['text before the root', 'x<r/>'],
    ['an HTML page', '<html><body>Service Unavailable<br></body></html>'],
    ['an unterminated tag', '<r><a'],
    ['nothing', ''],
    ['plain text', 'upstream timeout'],
  ])('leaves %s to saxes', (_, body) => {
    expect(readPlainDocument(body, LISTS)).toBeUndefined();
    const read = (() => {
      try {
        return readXmlDocument(body, LISTS);
      } catch {
        return 'not xml';
      }
    })();
    expect(read).toEqual(saxesResult(body));
  });
});
