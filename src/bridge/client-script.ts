/**
 * The pages' script, served as /assets/app.js. It runs in the browser: plain ES2020, no imports;
 * SimpleWebAuthnBrowser comes from /assets/webauthn.js (@simplewebauthn/browser's UMD bundle).
 * Every failure ends up as words in the #status live region.
 */
export const CLIENT_SCRIPT = String.raw`'use strict';
(function () {
  var W = window.SimpleWebAuthnBrowser;
  var statusEl = document.getElementById('status');
  function say(text, ok) { statusEl.className = ok ? 'ok' : ''; statusEl.textContent = text; }
  function browserError(e) {
    var name = e && e.name;
    if (name === 'NotAllowedError') return 'The browser did not complete the passkey request: it was cancelled, timed out, or no matching passkey was found.';
    if (name === 'InvalidStateError') return 'This authenticator already holds a passkey for your account.';
    if (name === 'SecurityError') return 'The browser refused: this page is not on the address the passkeys belong to.';
    return 'The passkey request failed: ' + ((e && e.message) || 'unknown error') + '.';
  }
  async function api(path, body) {
    var res = await fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body || {}), credentials: 'same-origin' });
    var data = null;
    try { data = await res.json(); } catch (_) { data = null; }
    if (!res.ok) { var err = new Error((data && data.detail) || ('The server answered ' + res.status + '.')); err.code = data && data.code; err.isProblem = true; throw err; }
    return data;
  }
  async function run(button, fn) {
    button.disabled = true; say('');
    try { await fn(); } catch (e) { say(e && e.isProblem ? e.message : browserError(e)); } finally { button.disabled = false; }
  }
  async function register(nameInput) {
    var opts = await api('/api/register/options');
    var resp = await W.startRegistration({ optionsJSON: opts });
    var cred = await api('/api/register/verify', { response: resp, name: nameInput.value });
    return cred;
  }
  var page = document.body.getAttribute('data-page');
  if (page === 'signin') {
    var form = document.getElementById('signin-form');
    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      run(document.getElementById('signin'), async function () {
        var username = document.getElementById('username').value.trim();
        var opts = await api('/api/signin/options', username ? { username: username } : {});
        var resp = await W.startAuthentication({ optionsJSON: opts });
        var done = await api('/api/signin/verify', { response: resp, page: location.pathname + location.search });
        say('Signed in as ' + done.user.displayName + '.', true);
        location.assign(done.redirect || '/security');
      });
    });
  }
  if (page === 'tap') {
    var tapForm = document.getElementById('tap-form');
    var regForm = document.getElementById('register-form');
    tapForm.addEventListener('submit', function (ev) {
      ev.preventDefault();
      run(document.getElementById('tap-redeem'), async function () {
        await api('/api/tap/redeem', { username: document.getElementById('tap-username').value.trim(), code: document.getElementById('tap-code').value });
        tapForm.hidden = true; regForm.hidden = false;
        say('Pass accepted. Create your passkey now.', true);
        document.getElementById('passkey-name').focus();
      });
    });
    regForm.addEventListener('submit', function (ev) {
      ev.preventDefault();
      run(document.getElementById('register'), async function () {
        var cred = await register(document.getElementById('passkey-name'));
        say('Passkey "' + cred.name + '" created. You can now sign in with it.', true);
        location.assign('/security');
      });
    });
  }
  if (page === 'security') {
    var tbody = document.getElementById('passkeys');
    function cell(tr, text) { var td = document.createElement('td'); td.textContent = text; tr.appendChild(td); return td; }
    function when(iso) { return iso ? new Date(iso).toLocaleString() : 'never'; }
    async function load() {
      var me = await api('/api/me');
      tbody.textContent = '';
      if (me.credentials.length === 0) { var tr0 = document.createElement('tr'); var td0 = cell(tr0, 'No passkeys yet.'); td0.colSpan = 6; tbody.appendChild(tr0); }
      me.credentials.forEach(function (c) {
        var tr = document.createElement('tr'); tr.setAttribute('data-id', c.id);
        cell(tr, c.name);
        cell(tr, c.type === 'synced' ? 'Synced' : 'Device-bound');
        cell(tr, (c.authenticator || 'Unknown authenticator') + ' (' + c.aaguid + ')');
        cell(tr, when(c.createdAt)); cell(tr, when(c.lastUsedAt));
        var actions = cell(tr, '');
        var label = document.createElement('label'); label.textContent = 'New name for ' + c.name; label.setAttribute('for', 'rename-' + c.id);
        var input = document.createElement('input'); input.id = 'rename-' + c.id; input.value = c.name; input.maxLength = 64;
        var ren = document.createElement('button'); ren.type = 'button'; ren.textContent = 'Rename'; ren.setAttribute('aria-label', 'Rename ' + c.name);
        var del = document.createElement('button'); del.type = 'button'; del.textContent = 'Delete'; del.setAttribute('aria-label', 'Delete ' + c.name);
        ren.addEventListener('click', function () { run(ren, async function () { await api('/api/credentials/rename', { id: c.id, name: input.value }); await load(); say('Passkey renamed.', true); }); });
        del.addEventListener('click', function () { run(del, async function () { await api('/api/credentials/delete', { id: c.id }); await load(); say('Passkey "' + c.name + '" deleted.', true); }); });
        actions.append(label, input, ren, del);
        tbody.appendChild(tr);
      });
    }
    load().catch(function (e) { say(e.message); });
    document.getElementById('register-form').addEventListener('submit', function (ev) {
      ev.preventDefault();
      run(document.getElementById('register'), async function () {
        var cred = await register(document.getElementById('passkey-name'));
        await load(); say('Passkey "' + cred.name + '" added.', true);
      });
    });
    document.getElementById('signout-form').addEventListener('submit', function (ev) {
      ev.preventDefault();
      run(document.getElementById('signout'), async function () { await api('/api/signout'); location.assign('/'); });
    });
  }
})();
`;
