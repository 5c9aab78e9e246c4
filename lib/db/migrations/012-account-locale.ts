import type { Migration } from './index';

/**
 * An account remembers its interface language, chosen with the language switcher, so it follows
 * the person to every browser. Null until they choose: the browser's languages decide meanwhile.
 * No CHECK: the set of languages grows with the catalogues, and an unknown value is ignored on read.
 */
export const accountLocale: Migration = {
  version: 12,
  name: 'account-locale',
  sql: {
    sqlite: 'ALTER TABLE users ADD COLUMN locale TEXT;',
    postgres: 'ALTER TABLE users ADD COLUMN locale TEXT;',
  },
};
