import type { Request, Response } from 'express';
import { ProblemError } from '../../errors/index.js';
import { esc } from '../pages.js';
import { sendProblem } from '../problem.js';

/** A plain page in words for the person at the browser: no script, the bridge's stylesheet. */
export function devicePage(title: string, sentences: readonly string[], extra = ''): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} – tgtbridge</title>
<link rel="stylesheet" href="/assets/app.css">
</head>
<body data-page="device">
<main>
<h1>${esc(title)}</h1>
<div id="status" role="alert">${sentences.map((s) => `<p>${esc(s)}</p>`).join('\n')}</div>
${extra}
</main>
</body>
</html>
`;
}

/**
 * A device-login request the bridge will not even redirect (unknown client, a redirect that does
 * not go to this computer's loopback): a page in words for a browser, a problem body otherwise.
 */
export function sendDeviceRefusal(req: Request, res: Response, title: string, detail: string): void {
  if (req.accepts(['html', 'json']) === 'html') {
    res.status(400).type('html').send(devicePage(title, [detail, 'Start again from the device with `tgtbridge login`.']));
    return;
  }
  sendProblem(res, new ProblemError('request.invalid', detail));
}

export const EXPIRED_PAGE = devicePage('Device sign-in expired', [
  'You are signed in, but the device sign-in request you came from expired or was already used.',
  'Run `tgtbridge login` on the device again.',
]);

/**
 * The one click that replaces a second ceremony when the browser is already signed in: the person
 * confirms that the device agent on this computer is theirs (RFC 8252 §8.6). `requestId` names the
 * pending request; "someone else" goes through the ordinary sign-in page with the same request.
 */
export function confirmPage(samAccountName: string, displayName: string, requestId: string): string {
  const id = esc(requestId);
  return devicePage(
    'Give this computer a Kerberos ticket?',
    [
      `The tgtbridge device agent on this computer asks for a Kerberos ticket for ${displayName} (${samAccountName}).`,
      'Continue only if you have just run tgtbridge login yourself.',
    ],
    `<form method="post" action="/device/continue">
<input type="hidden" name="request" value="${id}">
<button id="device-continue" type="submit">Continue as ${esc(samAccountName)}</button>
</form>
<p><a href="/?device_request=${id}">Sign in as someone else</a></p>`,
  );
}
