// Deep linking: sends the signed choice back to the LMS (the button stays for browsers that
// block scripted form posts).

const form = document.getElementById('deep-link-return');
if (form) form.submit();
