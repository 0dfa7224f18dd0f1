/** Access key pairs in AWS's shapes (AKIA + 16, 40-character secret), random per call. */
import { randomBytes } from 'node:crypto';

export function generateKeyPair(): { accessKeyId: string; secretAccessKey: string } {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const id = [...randomBytes(16)].map((b) => alphabet[b % 32]).join('');
  return { accessKeyId: `AKIA${id}`, secretAccessKey: randomBytes(30).toString('base64').replace(/[+/]/g, 'x').slice(0, 40) };
}
