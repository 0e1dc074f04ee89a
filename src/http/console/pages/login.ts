/** The sign-in form (the principal's HTTP Basic user name and password). */
import { type Html, html } from '../html';
import { type View, csrfField } from '../view';

export function loginPage(v: View, message?: string): Html {
  return html`<p>${v.t.login_hint}</p>
${message === undefined ? '' : html`<p class="error" role="alert">${message}</p>`}
<form method="post" action="/console/login" class="stack login">${csrfField(v)}
<label>${v.t.user} <input name="user" autocomplete="username" required maxlength="200" autofocus></label>
<label>${v.t.password} <input name="password" type="password" autocomplete="current-password" required maxlength="1000"></label>
<button type="submit">${v.t.sign_in}</button></form>`;
}
