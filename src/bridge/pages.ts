/**
 * Plain, accessible pages: one <main>, labelled fields in a natural focus order, an aria-live
 * region where every error appears in words, and no script inline (CSP script-src 'self').
 */

export const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function layout(title: string, page: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} – tgtbridge</title>
<link rel="stylesheet" href="/assets/app.css">
<script src="/assets/webauthn.js" defer></script>
<script src="/assets/app.js" defer></script>
</head>
<body data-page="${page}">
<main>
<h1>${esc(title)}</h1>
<div id="status" role="alert" aria-live="assertive" aria-atomic="true"></div>
${body}
</main>
</body>
</html>
`;
}

export function signInPage(rpName: string): string {
  return layout(`Sign in to ${rpName}`, 'signin', `
<form id="signin-form" novalidate>
  <p>Sign in with the passkey on this device or on a security key.</p>
  <label for="username">Account name <span class="hint">(optional: leave empty to pick a passkey)</span></label>
  <input id="username" name="username" type="text" autocomplete="username webauthn" autocapitalize="off" spellcheck="false">
  <button id="signin" type="submit">Sign in with a passkey</button>
</form>
<p><a href="/tap">I have a temporary access pass</a> (to add my first passkey).</p>
`);
}

export function tapPage(rpName: string): string {
  return layout(`Add your first passkey to ${rpName}`, 'tap', `
<form id="tap-form" novalidate>
  <p>Enter the temporary access pass your administrator gave you.</p>
  <label for="tap-username">Account name</label>
  <input id="tap-username" name="username" type="text" autocomplete="username" autocapitalize="off" spellcheck="false" required>
  <label for="tap-code">Temporary access pass</label>
  <input id="tap-code" name="code" type="text" autocomplete="one-time-code" autocapitalize="characters" spellcheck="false" required>
  <button id="tap-redeem" type="submit">Continue</button>
</form>
<form id="register-form" hidden novalidate>
  <p>Your pass was accepted. Now create a passkey.</p>
  <label for="passkey-name">Name for the new passkey <span class="hint">(optional)</span></label>
  <input id="passkey-name" name="name" type="text" maxlength="64">
  <button id="register" type="submit">Create a passkey</button>
</form>
<p><a href="/">Back to sign-in</a></p>
`);
}

export function securityPage(displayName: string): string {
  return layout('Security info', 'security', `
<p>Signed in as <strong id="who">${esc(displayName)}</strong>.</p>
<h2 id="passkeys-heading">Your passkeys</h2>
<table aria-labelledby="passkeys-heading">
  <thead><tr><th scope="col">Name</th><th scope="col">Type</th><th scope="col">Authenticator</th><th scope="col">Created</th><th scope="col">Last used</th><th scope="col">Actions</th></tr></thead>
  <tbody id="passkeys"></tbody>
</table>
<form id="register-form" novalidate>
  <h2>Add a passkey</h2>
  <label for="passkey-name">Name for the new passkey <span class="hint">(optional)</span></label>
  <input id="passkey-name" name="name" type="text" maxlength="64">
  <button id="register" type="submit">Add a passkey</button>
</form>
<form id="signout-form"><button id="signout" type="submit">Sign out</button></form>
`);
}

export const APP_CSS = `
body { font: 16px/1.5 system-ui, sans-serif; margin: 0; color: #111; background: #fff; }
main { max-width: 46rem; margin: 2rem auto; padding: 0 1rem; }
label { display: block; margin-top: 1rem; font-weight: 600; }
.hint { font-weight: 400; color: #444; }
input { display: block; width: 100%; max-width: 24rem; padding: .5rem; font: inherit; border: 1px solid #555; }
button { margin-top: 1rem; padding: .5rem 1rem; font: inherit; cursor: pointer; }
:focus-visible { outline: 3px solid #1a5fb4; outline-offset: 2px; }
#status:not(:empty) { padding: .75rem; border: 2px solid #a51d2d; background: #fbeaea; margin: 1rem 0; }
#status.ok:not(:empty) { border-color: #26a269; background: #eaf7ee; }
table { border-collapse: collapse; width: 100%; margin-top: 1rem; }
th, td { text-align: left; padding: .4rem; border-bottom: 1px solid #ccc; vertical-align: top; }
td input { max-width: 12rem; }
`;
