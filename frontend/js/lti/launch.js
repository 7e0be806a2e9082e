// The launch page an LMS shows: opened as a window of its own (not framed), it goes straight
// on; inside the LMS frame it keeps the button, which opens the app in a new window (a
// first-party context, so third-party-cookie rules do not apply) and then says so.

const open = document.getElementById('open-app');
const note = document.getElementById('open-note');
let framed = true;
try { framed = window.top !== window.self; } catch { framed = true; }
if (open && !framed) {
  window.location.replace(open.href);
} else if (open) {
  open.addEventListener('click', () => {
    if (note) note.textContent = 'Opened in a new window. You can close this frame or go back to the course.';
  });
}
