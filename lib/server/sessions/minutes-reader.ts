import { getLocale, getTranslations } from 'next-intl/server';
import type { TMinutesTranslate } from '../../session/minutes';
import type { TMinutesReader } from './minutes';

/** The reader of this request, for minutes generated in their language (the summary page, the exports). */
export async function minutesReaderForRequest(): Promise<TMinutesReader> {
  const t = await getTranslations();
  // Minute keys are built from the log's values (`minutes.decision.outcome.${outcome}`), so they are checked by the catalogue tests, not by the type of `t`.
  const translate: TMinutesTranslate = (key, values) => (t as unknown as TMinutesTranslate)(key, values);
  return { locale: await getLocale(), translate };
}
