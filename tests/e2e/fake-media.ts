/**
 * Chromium with fake media devices for the mesh's end-to-end specs: the WebRTC video and audio are
 * real, only the camera (Chromium's test pattern) and the microphone (a tone) are made up.
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from '@playwright/test';

const SAMPLE_RATE = 48_000;

/** A mono 16-bit WAV of one second of a sine tone (silence at 0 Hz); Chromium loops it as the microphone. */
function toneWav(file: string, frequency: number): string {
  const samples = SAMPLE_RATE;
  const data = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i += 1) data.writeInt16LE(Math.round(frequency ? Math.sin((2 * Math.PI * frequency * i) / SAMPLE_RATE) * 12_000 : 0), i * 2);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVEfmt ', 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(SAMPLE_RATE, 24);
  header.writeUInt32LE(SAMPLE_RATE * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(data.length, 40);
  fs.writeFileSync(file, Buffer.concat([header, data]));
  return file;
}

/**
 * One Chromium process with fake camera and microphone, granted without asking; `tone` (Hz) is its
 * microphone, when it has one (else Chromium's own beep).
 */
export async function launchWithFakeMedia(tone: number | null, dir: string): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      '--autoplay-policy=no-user-gesture-required',
      // Host candidates as addresses, not mDNS names: no multicast queries leave the machine.
      '--disable-features=WebRtcHideLocalIpsWithMdns',
      ...(tone === null ? [] : [`--use-file-for-fake-audio-capture=${toneWav(path.join(dir, `tone-${tone}.wav`), tone)}`]),
    ],
  });
}
