// Child process of panelOptionKeys(): prints, as one JSON object, what the options editor of each panel
// folder given on the command line knows. Run as `node --import tsx test/dashboards/panelOptionsMain.ts <dir>…`.
import { extractPanelOptionKeys, type PanelOptionKeys } from './panelOptions';

async function main(): Promise<void> {
  const out: Record<string, PanelOptionKeys> = {};
  for (const dir of process.argv.slice(2)) {
    out[dir] = await extractPanelOptionKeys(dir);
  }
  process.stdout.write(JSON.stringify(out));
}

main().catch((err: Error) => {
  process.stderr.write(`panel options: ${err.stack ?? err.message}\n`);
  process.exit(1);
});
