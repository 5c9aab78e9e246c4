import { LanguageSwitcher } from './LanguageSwitcher';

/** The bar above pages seen signed out (sign-in, invitations, errors): the language switcher. */
export function PublicBar() {
  return (
    <header className="public-bar">
      <LanguageSwitcher />
    </header>
  );
}
