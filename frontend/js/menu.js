// Who sees which pages: each role has its own menu and home page. Pure data and functions, so
// the router and the tests read the same rules.

const TRAINEE = [
  { route: 'library', text: 'Scenarios' },
  { route: 'progress', text: 'My progress' },
  { route: 'assignments', text: 'My assignments' },
  { route: 'privacy', text: 'My data' },
  { route: 'account', text: 'Account' },
];
const INSTRUCTOR = [
  { route: 'review', text: 'Review' },
  { route: 'agreement', text: 'Agreement' },
  { route: 'flags', text: 'Flagged moments' },
  { route: 'studio', text: 'Persona studio' },
  { route: 'programs', text: 'Programs' },
  { route: 'library', text: 'Scenarios' },
  { route: 'progress', text: 'My practice' },
  { route: 'account', text: 'Account' },
];
const ADMIN = [
  { route: 'users', text: 'Users' },
  { route: 'import', text: 'Import' },
  { route: 'programs', text: 'Programs' },
  { route: 'lti', text: 'LMS' },
  { route: 'review', text: 'Review' },
  { route: 'agreement', text: 'Agreement' },
  { route: 'flags', text: 'Flagged moments' },
  { route: 'studio', text: 'Persona studio' },
  { route: 'account', text: 'Account' },
];

const MENUS = { trainee: TRAINEE, instructor: INSTRUCTOR, admin: ADMIN };
const HOMES = { trainee: 'library', instructor: 'review', admin: 'users' };

// Pages that only some roles may open (the API refuses the others too).
const ONLY = {
  review: ['instructor', 'admin'],
  agreement: ['instructor', 'admin'],
  studio: ['instructor', 'admin'],
  flags: ['instructor', 'admin'],
  users: ['admin'],
  import: ['admin'],
  programs: ['instructor', 'admin'],
  program: ['instructor', 'admin'],
  cohort: ['instructor', 'admin'],
  lti: ['admin'],
};

/** The menu entries for a role (a trainee's menu for anything unknown). */
export function menuFor(role) { return MENUS[role] || TRAINEE; }

/** The route a role lands on after signing in, or at `#/`. */
export function homeFor(role) { return HOMES[role] || 'library'; }

/** True when `role` may open the page `route`. */
export function allowed(route, role) {
  const roles = ONLY[route];
  return !roles || roles.includes(role);
}

/** Routes anyone may open without signing in (one-time account links). */
export const PUBLIC_ROUTES = ['invite', 'reset'];

/** Routes a sign-in may return to. */
export const RETURNABLE = /^\/(session|report|progress|library|studio|flags|review|agreement|users|import|account|assignments|programs?|cohort|evaluation|join|privacy|lti)\b/;
