// CSV helper: formula neutralisation and streaming.
import { describe, expect, it } from 'vitest';
import { csvStream, safeCell } from '../src/lib/csv.ts';

async function text(stream: NodeJS.ReadableStream): Promise<string> {
  let out = '';
  for await (const chunk of stream) out += String(chunk);
  return out;
}

describe('safeCell', () => {
  it.each(['=1+2', '+1', '-2+3', '@SUM(A1)', '\t=cmd', '\r=cmd', '=HYPERLINK("http://x","y")'])(
    'neutralises %j',
    (value) => {
      expect(safeCell(value)).toBe(`'${value}`);
    },
  );

  it.each(['Contoso', '', 'a=b', ' =x', "'quoted", '1-2', 'Café'])('leaves %j as it is', (value) => {
    expect(safeCell(value)).toBe(value);
  });
});

describe('csvStream', () => {
  it('writes the header and rows, quoting where needed and neutralising text cells', async () => {
    const out = await text(
      csvStream(
        ['Name', 'Amount', 'Note'],
        [
          ['Contoso, Ltd', -5, 'say "hi"'],
          ['=cmd|calc', 3, null],
          ['line\nbreak', 0, '@me'],
        ],
      ),
    );
    expect(out).toBe(
      'Name,Amount,Note\r\n' +
        '"Contoso, Ltd",-5,"say ""hi"""\r\n' +
        "'=cmd|calc,3,\r\n" +
        '"line\nbreak",0,\'@me\r\n',
    );
  });

  it('pulls rows lazily and stops the source when the reader goes away', async () => {
    let produced = 0;
    let finished = false;
    async function* rows() {
      try {
        for (let i = 0; i < 1_000_000; i++) {
          produced++;
          yield [`row ${i}`];
        }
      } finally {
        finished = true;
      }
    }
    const stream = csvStream(['Value'], rows());
    for await (const chunk of stream) {
      expect(String(chunk)).toContain('Value');
      break; // the reader leaves after the first chunk
    }
    await new Promise((r) => setTimeout(r, 50));
    expect(finished).toBe(true);
    expect(produced).toBeLessThan(100_000);
  });

  it('ends the stream with an error when the source fails', async () => {
    async function* rows() {
      yield ['ok'];
      throw new Error('database went away');
    }
    await expect(text(csvStream(['Value'], rows()))).rejects.toThrow(/database went away/);
  });
});
