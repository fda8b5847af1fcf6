// The dashboard's identifiers, as package.json declares them (command, and the onWebviewPanel activation event).
export const OPEN_DASHBOARD_COMMAND = 'adaptLab.openDashboard';
export const DASHBOARD_VIEW_TYPE = 'adaptLab.dashboard';
