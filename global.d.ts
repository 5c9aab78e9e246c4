import type messages from './messages/en.json';

// Message keys are checked at compile time: a t('…') call with a key missing from the English
// catalogue fails the typecheck.
declare module 'next-intl' {
  interface AppConfig {
    Messages: typeof messages;
  }
}
