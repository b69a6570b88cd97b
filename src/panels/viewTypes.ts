// Every panel's webview view type, in a module of its own: activation registers commands and serializers for them
// without loading the panels' code, which loads when a panel first opens.
export const VIEW_TYPES = {
  overview: 'appdesk.overview',
  metadata: 'appdesk.metadata',
  release: 'appdesk.release',
  reports: 'appdesk.reports',
  inbox: 'appdesk.inbox',
  feedback: 'appdesk.feedback',
  surveys: 'appdesk.surveys',
  builds: 'appdesk.builds',
  testflight: 'appdesk.testflight',
  reviews: 'appdesk.reviews',
} as const;
