// The new window after a launch: the server has signed it in (first-party cookie); remember
// that for the app (its hint that a session may exist) and go to the page the launch chose.

const target = document.getElementById('enter');
const next = target ? target.dataset.next : '/';
try { window.localStorage.setItem('sim.signedIn', '1'); } catch { /* storage off: the app asks */ }
if (next && next.startsWith('/#/')) window.location.replace(next);
