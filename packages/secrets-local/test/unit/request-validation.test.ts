import { z } from 'zod';
import { AwsServiceError } from '../../src/errors';
import { decodeNextToken, encodeNextToken, page } from '../../src/paging';
import { parseRequest } from '../../src/request-validation';

const Schema = z.object({
  SecretId: z.string().min(1),
  SecretString: z.string().max(3).optional(),
  Names: z.array(z.string()).max(2).optional(),
  MaxResults: z.number().int().max(10).optional(),
});

const failure = (body: unknown) => {
  try {
    parseRequest(Schema, body);
  } catch (error) {
    return error as AwsServiceError;
  }
  throw new Error('expected a failure');
};

describe('parseRequest', () => {
  it('words model violations as AWS validation errors', () => {
    expect(failure({}).message).toBe(
      "1 validation error detected: Value null at 'secretId' failed to satisfy constraint: Member must not be null",
    );
    const many = failure({ SecretId: 'x', Names: ['a', 'b', 'c'], MaxResults: 11 });
    expect(many.code).toBe('ValidationException');
    expect(many.message).toBe(
      "2 validation errors detected: Value '[a, b, c]' at 'names' failed to satisfy constraint: Member must have length less than or equal to 2; Value '11' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 10",
    );
  });

  it('never echoes a secret value', () => {
    const error = failure({ SecretId: 'x', SecretString: 'hidden-value' });
    expect(error.message).not.toContain('hidden-value');
    expect(error.message).toContain("Value at 'secretString'");
  });

  it('answers SerializationException for wrong JSON types and non-objects', () => {
    expect(failure({ SecretId: 5 }).code).toBe('SerializationException');
    expect(failure([]).code).toBe('SerializationException');
  });
});

describe('paging', () => {
  const items = ['a', 'b', 'c', 'd', 'e'];
  it('pages by cursor and stops without a token', () => {
    const first = page(items, (item) => item, undefined, 2);
    expect(first.items).toEqual(['a', 'b']);
    const after = decodeNextToken(first.nextToken, () => new AwsServiceError('X', 'bad'));
    expect(page(items, (item) => item, after, 2).items).toEqual(['c', 'd']);
    expect(page(items, (item) => item, 'd', 2)).toEqual({ items: ['e'] });
  });

  it('refuses a token it did not make', () => {
    expect(() =>
      decodeNextToken('garbage', () => new AwsServiceError('InvalidNextTokenException', 'bad')),
    ).toThrow('bad');
    expect(decodeNextToken(encodeNextToken('k'), () => new AwsServiceError('X', 'bad'))).toBe('k');
  });
});
