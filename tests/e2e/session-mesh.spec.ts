/**
 * The peer-to-peer mesh in real Chromium with fake devices (PROTOCOL.md V27–V36): each publishing
 * browser is its own Chromium process with its own tone as microphone (the chair silence, the
 * Montréal delegate 440 Hz, the French interpreter 1 kHz), the observer listens. What the pages
 * receive is measured in the pages: video sizes on the remote <video> elements, audio energy and
 * the dominant frequency with a WebAudio AnalyserNode.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { launchWithFakeMedia as launch } from './fake-media';
import { SCREENSHOT_DIR, demoEmail, expectNoHorizontalScroll, scheduleSessionAsChair, signInViaApi, unique, wcagViolations } from './support';

/**
 * What the page hears, measured where it plays: every <video> and <audio> element's audio tracks,
 * weighted by the element's volume (0 when muted), summed into one AnalyserNode. `only` narrows it
 * to elements with that aria-label.
 */
function hearing(page: Page, only?: string): Promise<{ rms: number; frequency: number }> {
  return page.evaluate(async (label) => {
    const context = new AudioContext();
    await context.resume();
    const analyser = context.createAnalyser();
    analyser.fftSize = 8192;
    analyser.smoothingTimeConstant = 0;
    const elements = [...document.querySelectorAll<HTMLMediaElement>('video, audio')].filter((element) => !label || element.getAttribute('aria-label') === label);
    for (const element of elements) {
      const tracks = element.srcObject instanceof MediaStream ? element.srcObject.getAudioTracks() : [];
      if (!tracks.length) continue;
      const gain = context.createGain();
      gain.gain.value = element.muted ? 0 : element.volume;
      context.createMediaStreamSource(new MediaStream(tracks)).connect(gain).connect(analyser);
    }
    await new Promise((resolve) => setTimeout(resolve, 700));
    const wave = new Float32Array(analyser.fftSize);
    analyser.getFloatTimeDomainData(wave);
    const spectrum = new Float32Array(analyser.frequencyBinCount);
    analyser.getFloatFrequencyData(spectrum);
    let peak = 0;
    spectrum.forEach((value, index) => {
      if (value > (spectrum[peak] ?? -Infinity)) peak = index;
    });
    await context.close();
    return { rms: Math.sqrt(wave.reduce((sum, value) => sum + value * value, 0) / wave.length), frequency: (peak * context.sampleRate) / analyser.fftSize };
  }, only ?? null);
}

/** The width of the picture a remote tile shows (0 until frames arrive). */
const videoWidth = (page: Page, name: string) => page.getByLabel(`Video of ${name}`).evaluate((video: HTMLVideoElement) => video.videoWidth);

/** The page's own microphone track, as the sender has it. */
const ownMicrophone = (page: Page) =>
  page.getByLabel('Your camera').evaluate((video: HTMLVideoElement) => {
    const track = (video.srcObject as MediaStream | null)?.getAudioTracks()[0];
    return track ? { enabled: track.enabled, readyState: track.readyState } : null;
  });

const NAMES = { chair: 'Chair of the Annual Meeting', delegate: 'Delegate of Montréal', observer: 'UN-Habitat Liaison Officer' };

test.describe.serial('video over the peer-to-peer mesh', () => {
  const browsers: Browser[] = [];
  let chair: Page, delegate: Page, interpreter: Page, observer: Page;
  const video = (page: Page) => page.getByRole('region', { name: 'Video' });

  test.beforeAll(async ({ baseURL }, testInfo) => {
    const dir = testInfo.outputPath('tones');
    fs.mkdirSync(dir, { recursive: true });
    const open = async (account: string, tone: number | null) => {
      const browser = await launch(tone, dir);
      browsers.push(browser);
      const page = await (await browser.newContext({ baseURL })).newPage();
      await signInViaApi(page, demoEmail(account));
      return page;
    };
    [chair, delegate, interpreter, observer] = await Promise.all([open('chair', 0), open('delegate.montreal', 440), open('interpreter', 1000), open('observer', null)]);
    const room = await scheduleSessionAsChair(chair, unique('Mesh session'));
    await chair.getByRole('button', { name: 'Open session' }).click();
    await expect(chair.getByRole('button', { name: 'Suspend' })).toBeVisible();
    for (const page of [delegate, interpreter, observer]) await page.goto(room);
  });

  test.afterAll(async () => {
    await Promise.all(browsers.splice(0).map((browser) => browser.close()));
  });

  test('[V27][V28] three participants join the mesh and each sees the others’ video; the panel says moderation is advisory', async () => {
    for (const page of [chair, delegate]) await video(page).getByRole('button', { name: 'Join video' }).click();
    await video(interpreter).getByLabel('Your booth’s language').selectOption({ label: 'French' });
    await video(interpreter).getByRole('button', { name: 'Join video' }).click();
    await expect(video(chair).getByText('Peer-to-peer video: the chair’s moderation and the floor are applied by each browser')).toBeVisible();
    await expect.poll(() => videoWidth(chair, NAMES.delegate)).toBeGreaterThan(0);
    await expect.poll(() => videoWidth(delegate, NAMES.chair)).toBeGreaterThan(0);
    // The interpreter publishes only a voice: no tile, but the chair's and the delegate's pictures arrive.
    await expect.poll(() => videoWidth(interpreter, NAMES.chair)).toBeGreaterThan(0);
    await expect.poll(() => videoWidth(interpreter, NAMES.delegate)).toBeGreaterThan(0);
    await expect(video(chair).getByLabel('Video of French Booth Interpreter')).toHaveCount(0);
    await expect(video(chair).getByRole('list', { name: 'People sharing video' }).getByRole('listitem')).toHaveCount(2);
  });

  test('[V29] the observer publishes nothing and receives everyone', async () => {
    await video(observer).getByRole('button', { name: 'Join video' }).click();
    await expect(video(observer).getByText('You are watching and listening.')).toBeVisible();
    await expect.poll(() => videoWidth(observer, NAMES.delegate)).toBeGreaterThan(0);
    await expect.poll(() => videoWidth(observer, NAMES.chair)).toBeGreaterThan(0);
    await expect(observer.getByLabel('Your camera')).toHaveCount(0);
    // The others list the observer as a listener, with no tile.
    await expect(video(chair).getByText('1 more person is listening.')).toBeVisible();
    await expect(video(chair).getByLabel(`Video of ${NAMES.observer}`)).toHaveCount(0);
  });

  test('[V4][V36] in a formal room the delegate’s microphone is closed until Montréal has the floor, and closes again when the floor passes', async () => {
    await expect(video(delegate).getByText('Your microphone opens when you have the floor.')).toBeVisible();
    await expect(video(delegate).getByRole('button', { name: 'Unmute microphone' }).or(video(delegate).getByRole('button', { name: 'Mute microphone' }))).toBeDisabled();
    expect(await ownMicrophone(delegate)).toEqual({ enabled: false, readyState: 'live' });
    expect((await hearing(chair, `Video of ${NAMES.delegate}`)).rms).toBeLessThan(0.001);

    const give = chair.getByRole('form', { name: 'Give the floor directly' });
    await give.getByLabel('Give the floor directly to').selectOption({ label: 'Montréal' });
    await give.getByRole('button', { name: 'Give the floor' }).click();
    await expect(video(delegate).getByText('Your microphone is live.')).toBeVisible();
    expect(await ownMicrophone(delegate)).toEqual({ enabled: true, readyState: 'live' });
    await expect.poll(async () => (await hearing(chair, `Video of ${NAMES.delegate}`)).rms).toBeGreaterThan(0.01);
    expect(Math.abs((await hearing(chair, `Video of ${NAMES.delegate}`)).frequency - 440)).toBeLessThan(20);
    // The floor's tile is spotlit for everyone.
    await expect(video(observer).locator('.mesh-tile.spotlight')).toContainText(NAMES.delegate);

    await give.getByLabel('Give the floor directly to').selectOption({ label: 'Seoul' });
    await give.getByRole('button', { name: 'Give the floor' }).click();
    await expect(video(delegate).getByText('Your microphone opens when you have the floor.')).toBeVisible();
    expect(await ownMicrophone(delegate)).toEqual({ enabled: false, readyState: 'live' });
    await expect.poll(async () => (await hearing(chair, `Video of ${NAMES.delegate}`)).rms).toBeLessThan(0.001);
  });

  test('[V33][V21] once handed the French booth, the interpreter is heard by a listener who chooses French (≈1 kHz) over the floor (440 Hz)', async () => {
    // Four browsers decoding audio, then screenshots and an accessibility scan: over a minute on a busy machine.
    test.slow();
    await expect(video(interpreter).getByText('Your microphone opens when you hold your language’s booth.')).toBeVisible();
    const booths = chair.getByRole('form', { name: 'Hand over the booth' });
    await booths.getByLabel('Language', { exact: true }).selectOption({ label: 'French' });
    await booths.getByLabel('To', { exact: true }).selectOption({ label: 'French Booth Interpreter' });
    await booths.getByRole('button', { name: 'Hand over the booth' }).click();
    await expect(video(interpreter).getByText('Your microphone is live.')).toBeVisible();
    const give = chair.getByRole('form', { name: 'Give the floor directly' });
    await give.getByLabel('Give the floor directly to').selectOption({ label: 'Montréal' });
    await give.getByRole('button', { name: 'Give the floor' }).click();
    await expect(video(delegate).getByText('Your microphone is live.')).toBeVisible();
    await expect.poll(async () => Math.round((await hearing(observer)).frequency / 20) * 20, { message: 'the floor: the delegate’s 440 Hz' }).toBe(440);
    await video(observer).getByLabel('Listen to').selectOption({ label: 'French' });
    await expect(video(observer).getByText('You hear the French interpretation')).toBeVisible();
    await expect.poll(async () => Math.abs((await hearing(observer)).frequency - 1000), { message: 'the French channel: the interpreter’s 1 kHz' }).toBeLessThan(20);
    // The floor is still there, beneath: its element plays at a low volume.
    expect(await video(observer).getByLabel(`Video of ${NAMES.delegate}`).evaluate((element: HTMLVideoElement) => element.volume)).toBeCloseTo(0.15);

    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    for (const [name, size] of [['desktop', { width: 1280, height: 900 }], ['phone', { width: 390, height: 844 }]] as const) {
      await observer.setViewportSize(size);
      await expectNoHorizontalScroll(observer);
      await video(observer).scrollIntoViewIfNeeded();
      await video(observer).screenshot({ path: path.join(SCREENSHOT_DIR, `mesh-video-${name}.png`) });
    }
    await chair.setViewportSize({ width: 1280, height: 900 });
    await video(chair).screenshot({ path: path.join(SCREENSHOT_DIR, 'mesh-video-chair-desktop.png') });
    expect(await wcagViolations(observer)).toEqual([]);
  });
});
