import { describe, expect, it } from 'vitest';
import { zlibSync } from 'fflate';
import { LimitError, ParseError, ValidationError } from '@siteproof/core';
import { checkIbd, ionImage, readImzML, readImzMLSpectrum } from './imzml';
import { readMzML } from './mzml';

const UUID = '0123456789abcdef0123456789abcdef';

/** A 2×1 processed imzML with float64 arrays, built here (no file from ../shared). */
function makeImzML(opts: { zlib?: boolean; uuid?: string } = {}) {
  const spectra = [
    { x: 1, y: 1, mz: [100, 200, 300], it: [1, 2, 3] },
    { x: 2, y: 1, mz: [100, 250], it: [5, 7] },
  ];
  const chunks: Uint8Array[] = [Uint8Array.from(UUID.match(/../g)!.map((h) => parseInt(h, 16)))];
  let offset = 16;
  const refs: { mz: [number, number, number]; it: [number, number, number] }[] = [];
  const enc = (a: number[]) => {
    const raw = new Uint8Array(Float64Array.from(a).buffer);
    return opts.zlib ? zlibSync(raw) : raw;
  };
  for (const s of spectra) {
    const m = enc(s.mz);
    const i = enc(s.it);
    refs.push({ mz: [offset, s.mz.length, m.length], it: [offset + m.length, s.it.length, i.length] });
    chunks.push(m, i);
    offset += m.length + i.length;
  }
  const ibd = new Uint8Array(offset);
  let p = 0;
  for (const c of chunks) (ibd.set(c, p), (p += c.length));
  const comp = opts.zlib ? '<cvParam accession="MS:1000574" name="zlib compression" value=""/>' : '<cvParam accession="MS:1000576" name="no compression" value=""/>';
  const arr = (acc: string, r: [number, number, number]) =>
    `<binaryDataArray encodedLength="0"><referenceableParamGroupRef ref="${acc}"/>` +
    `<cvParam accession="IMS:1000102" name="external offset" value="${r[0]}"/><cvParam accession="IMS:1000103" name="external array length" value="${r[1]}"/>` +
    `<cvParam accession="IMS:1000104" name="external encoded length" value="${r[2]}"/><binary/></binaryDataArray>`;
  const xml =
    `<?xml version="1.0" encoding="ISO-8859-1"?><mzML><fileDescription><fileContent>` +
    `<cvParam accession="IMS:1000031" name="processed" value=""/><cvParam accession="MS:1000130" name="positive scan" value=""/>` +
    `<cvParam accession="IMS:1000080" name="universally unique identifier" value="{${opts.uuid ?? UUID}}"/></fileContent></fileDescription>` +
    `<referenceableParamGroupList><referenceableParamGroup id="mzArray"><cvParam accession="MS:1000514" name="m/z array" value=""/>` +
    `<cvParam accession="MS:1000523" name="64-bit float" value=""/>${comp}</referenceableParamGroup>` +
    `<referenceableParamGroup id="intensityArray"><cvParam accession="MS:1000515" name="intensity array" value=""/>` +
    `<cvParam accession="MS:1000523" name="64-bit float" value=""/>${comp}</referenceableParamGroup></referenceableParamGroupList>` +
    `<run><spectrumList>` +
    spectra
      .map(
        (s, k) =>
          `<spectrum id="s${k}" index="${k}"><scanList><scan><cvParam accession="IMS:1000050" name="position x" value="${s.x}"/>` +
          `<cvParam accession="IMS:1000051" name="position y" value="${s.y}"/></scan></scanList><binaryDataArrayList>` +
          arr('mzArray', refs[k].mz) + arr('intensityArray', refs[k].it) + `</binaryDataArrayList></spectrum>`,
      )
      .join('') +
    `</spectrumList></run></mzML>`;
  return { xml, ibd };
}

describe('imzML reader', () => {
  it('reads processed mode (plain and zlib), ion images and checks the UUID', () => {
    for (const zlib of [false, true]) {
      const { xml, ibd } = makeImzML({ zlib });
      const m = readImzML(xml, 't.imzML');
      expect(m).toMatchObject({ mode: 'processed', width: 2, height: 1, polarity: 'positive', uuid: UUID });
      checkIbd(m, ibd, 't.ibd');
      expect(Array.from(readImzMLSpectrum(m, ibd, 1).intensity)).toEqual([5, 7]);
      const img = ionImage(m, ibd, 99.5, 100.5);
      expect(Array.from(img.values)).toEqual([1, 5]);
      expect(Array.from(ionImage(m, ibd, 240, 310).values)).toEqual([3, 7]);
    }
  });

  it('refuses a missing .ibd, a short .ibd, a UUID mismatch', () => {
    const { xml, ibd } = makeImzML();
    const m = readImzML(xml, 't.imzML');
    expect(() => checkIbd(m, undefined, 't.ibd')).toThrow(ValidationError);
    expect(() => checkIbd(m, ibd.subarray(0, ibd.length - 8), 't.ibd')).toThrow(/spectrum 2 .*outside the \.ibd/);
    expect(() => ionImage(m, ibd.subarray(0, 40), 0, 1000, 't.ibd')).toThrow(ParseError);
    const other = makeImzML({ uuid: 'ffffffffffffffffffffffffffffffff' });
    expect(() => checkIbd(readImzML(other.xml), ibd, 't.ibd')).toThrow(/UUID mismatch/);
  });

  it('refuses DOCTYPE/ENTITY declarations at once (billion laughs), and oversized XML', () => {
    const lol =
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">' +
      '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><mzML>&lol3;</mzML>';
    const t0 = performance.now();
    expect(() => readImzML(lol, 'evil.imzML')).toThrow(/DOCTYPE declarations are refused/);
    expect(() => readMzML(lol, 'evil.mzML')).toThrow(ParseError);
    expect(() => readImzML('<mzML><!ENTITY x SYSTEM "file:///etc/passwd"></mzML>')).toThrow(/ENTITY/);
    // The streamed path (large files) refuses them too.
    expect(() => readImzML(new TextEncoder().encode(lol.replace('<mzML>', '<mzML><run>')), 'evil.imzML', { streamAboveBytes: 0 })).toThrow(/DOCTYPE/);
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(() => readImzML(makeImzML().xml, 'big.imzML', { maxXmlBytes: 100 })).toThrow(LimitError);
  });

  it('streamed and DOM readers agree on a generated file (plain and zlib)', () => {
    for (const zlib of [false, true]) {
      const { xml } = makeImzML({ zlib });
      const bytes = new TextEncoder().encode(xml);
      expect(readImzML(bytes, 't', { streamAboveBytes: 0 })).toEqual(readImzML(bytes, 't'));
    }
  });

  it('reads cvParams with value="" by presence', () => {
    const { xml } = makeImzML();
    // processed mode is declared only by a value="" cvParam
    expect(readImzML(xml).mode).toBe('processed');
    expect(() => readImzML(xml.replace('IMS:1000031', 'IMS:9999999'))).toThrow(/neither continuous/);
  });
});

describe('mzML reader', () => {
  it('decodes base64 + zlib arrays', () => {
    const b64 = (a: number[], z: boolean) => {
      const raw = new Uint8Array(Float64Array.from(a).buffer);
      const bytes = z ? zlibSync(raw) : raw;
      let s = '';
      for (const b of bytes) s += String.fromCharCode(b);
      return btoa(s);
    };
    const xml =
      `<mzML><run><spectrumList count="1"><spectrum id="scan=1" index="0" defaultArrayLength="3">` +
      `<cvParam accession="MS:1000129" name="negative scan" value=""/><binaryDataArrayList count="2">` +
      `<binaryDataArray><cvParam accession="MS:1000523" value=""/><cvParam accession="MS:1000574" value=""/><cvParam accession="MS:1000514" value=""/><binary>${b64([12, 13, 26], true)}</binary></binaryDataArray>` +
      `<binaryDataArray><cvParam accession="MS:1000523" value=""/><cvParam accession="MS:1000576" value=""/><cvParam accession="MS:1000515" value=""/><binary>${b64([5, 6, 7], false)}</binary></binaryDataArray>` +
      `</binaryDataArrayList></spectrum></spectrumList></run></mzML>`;
    const [s] = readMzML(xml, 't.mzML');
    expect(Array.from(s.mz)).toEqual([12, 13, 26]);
    expect(Array.from(s.intensity)).toEqual([5, 6, 7]);
    expect(s.polarity).toBe('negative');
    expect(() => readMzML(xml.replace(/<binary>[^<]+<\/binary>/, '<binary>!!!</binary>'), 't.mzML')).toThrow(/invalid base64/);
  });
});
