import type Database from 'better-sqlite3';
import type { NotifyStore } from './notifyStore';

/**
 * Dispatcher, inbox and silence persistence on SQLite (migration 4).
 * TODO(issue 9 helper): implement.
 */
export function sqliteNotifyStore(_db: () => Database.Database): NotifyStore {
  const todo = (): never => {
    throw new Error('sqliteNotifyStore: not implemented');
  };
  return {
    pushInbound: async () => todo(),
    readInbox: async () => todo(),
    getNotifyAlerts: async () => todo(),
    getGroups: async () => todo(),
    commitIngest: async () => todo(),
    dueGroups: async () => todo(),
    nextGroupFlush: async () => todo(),
    groupAlerts: async () => todo(),
    commitFlush: async () => todo(),
    listGroups: async () => todo(),
    firingAlertLabels: async () => todo(),
    listSilences: async () => todo(),
    getSilence: async () => todo(),
    putSilence: async () => todo(),
  };
}
