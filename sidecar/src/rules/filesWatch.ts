/**
 * Keeps the stored file rules in step with `rules.dir`: loads the folder at start, again when a file
 * in it changes (fs.watch, debounced: editors write a file in several steps) and on SIGHUP (as
 * Prometheus reloads its rule files), then tells the engine. Reloads never overlap: one asked for
 * during another runs after it.
 */
import { watch, type FSWatcher } from 'node:fs';
import type { Logger } from 'pino';
import type { Store } from '../store/store';
import type { RuleEngine } from './engine';
import { loadRuleDir, type RuleFileResult } from './files';
import type { RuleContext } from './schema';

/** Options of {@link startRuleFiles}. */
export interface RuleFilesOptions {
  /** The rules folder; undefined: no file rules (any stored earlier are removed). */
  dir: string | undefined;
  ctx: RuleContext;
  store: Store;
  engine: RuleEngine;
  logger: Logger;
  /** Quiet time after the last change before reloading (default 250 ms). */
  debounceMs?: number;
  /** Reload on SIGHUP (default true). */
  sighup?: boolean;
}

/** A running rule-file loader. */
export interface RuleFiles {
  /** Reloads now (also what a change or SIGHUP triggers); resolves with each file's outcome. */
  reload(): Promise<RuleFileResult[]>;
  /** Stops watching and waits for a reload in flight. */
  stop(): Promise<void>;
}

/** Loads the rules folder once, then watches it (see the file comment). */
export async function startRuleFiles(opts: RuleFilesOptions): Promise<RuleFiles> {
  const { dir, store, engine, logger } = opts;
  const log = logger.child({ component: 'rule-files' });
  let running: Promise<RuleFileResult[]> | null = null;
  let again = false;

  const loadOnce = async (): Promise<RuleFileResult[]> => {
    const stored = await store.listRules();
    const previous = stored.filter((r) => r.origin === 'file');
    if (dir === undefined) {
      if (previous.length > 0) {
        await store.replaceFileRules([], 'file:*');
        await engine.reload();
      }
      return [];
    }
    const apiIds = new Set(stored.filter((r) => r.origin === 'api').map((r) => r.id));
    const loaded = await loadRuleDir(dir, opts.ctx, previous, apiIds);
    for (const f of loaded.files.filter((x) => x.problems.length > 0)) {
      log.error(
        { file: f.file, problems: f.problems.slice(0, 20), keptRules: f.ids.length },
        `rules: ${f.file} not loaded (${f.problems.length} problem${f.problems.length > 1 ? 's' : ''}); its rules stay as they were`
      );
    }
    await store.replaceFileRules(loaded.rules, 'file:*');
    await engine.reload();
    log.info({ files: loaded.files.length, rules: loaded.rules.length }, 'rules: rule files loaded');
    return loaded.files;
  };

  // A failed load (folder missing, store busy) keeps everything as it was and is logged.
  const guarded = async (): Promise<RuleFileResult[]> => {
    try {
      return await loadOnce();
    } catch (err) {
      log.error({ err, dir }, `rules: loading ${dir} failed; rule files keep their last loaded state`);
      return [];
    }
  };

  const reload = (): Promise<RuleFileResult[]> => {
    if (running) {
      // The reload in flight runs once more when it is done and resolves with that last outcome.
      again = true;
      return running;
    }
    running = (async () => {
      try {
        let out = await guarded();
        while (again) {
          again = false;
          out = await guarded();
        }
        return out;
      } finally {
        running = null;
      }
    })();
    return running;
  };

  await reload();

  let timer: NodeJS.Timeout | undefined;
  let watcher: FSWatcher | undefined;
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(() => void reload(), opts.debounceMs ?? 250);
  };
  if (dir !== undefined) {
    try {
      watcher = watch(dir, { persistent: false }, schedule);
      watcher.on('error', (err) => log.error({ err, dir }, 'rules: watching the rules folder failed'));
    } catch (err) {
      log.error({ err, dir }, 'rules: cannot watch the rules folder; reload with SIGHUP');
    }
  }
  const onHup = () => {
    log.info('rules: SIGHUP, reloading rule files');
    void reload();
  };
  if (opts.sighup ?? true) {
    process.on('SIGHUP', onHup);
  }

  return {
    reload,
    async stop() {
      clearTimeout(timer);
      watcher?.close();
      process.off('SIGHUP', onHup);
      await running;
    },
  };
}
