import { describe, expect, it } from 'vitest';
import { formFields, readForm } from '../../../src/lib/http/form.ts';

const post = (body: BodyInit, contentType = 'application/x-www-form-urlencoded') =>
  new Request('http://localhost/', { method: 'POST', headers: { 'content-type': contentType }, body });

describe('reading a posted form', () => {
  it('treats a value of only blanks and invisible characters as empty', () => {
    const form = new FormData();
    const typed = { zeroWidth: '\u200b\u200b', mixed: ' \u2060\ufeff\u200d\u3000', controls: '\t\r\n', text: '\u200b梨\u200b', password: ' pass word ' };
    for (const [k, v] of Object.entries(typed)) form.append(k, v);
    expect(formFields(form)).toEqual({ zeroWidth: '', mixed: '', controls: '', text: '\u200b梨\u200b', password: ' pass word ' });
  });

  it('keeps the first of repeated fields', () => {
    const form = new FormData();
    form.append('villageCode', '411403001021');
    form.append('villageCode', '411402001001');
    expect(formFields(form).villageCode).toBe('411403001021');
  });

  it('refuses bytes that are not UTF-8 in urlencoded and multipart bodies', async () => {
    expect(await readForm(post('title=%FF%FE'))).toBeUndefined();
    expect(await readForm(post(new Uint8Array([...Buffer.from('title='), 0xc3, 0x28])))).toBeUndefined();
    const multipart = Buffer.concat([Buffer.from('--b\r\nContent-Disposition: form-data; name="title"\r\n\r\n'), Buffer.from([0x80, 0xff]), Buffer.from('\r\n--b--\r\n')]);
    expect(await readForm(post(new Uint8Array(multipart), 'multipart/form-data; boundary=b'))).toBeUndefined();
    expect(formFields((await readForm(post('title=%E6%A2%A8')))!)).toEqual({ title: '梨' });
  });

  it('refuses a body that is not a form', async () => {
    expect(await readForm(post('{"title":"梨"}', 'application/json'))).toBeUndefined();
    expect(await readForm(post('title=x', 'multipart/form-data'))).toBeUndefined();
  });
});
