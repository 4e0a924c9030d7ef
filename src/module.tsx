import { AppPlugin } from '@grafana/data';
import App from './components/App/App';
import AppConfig from './components/AppConfig/AppConfig';
import type { AppSettings } from './components/AppConfig/settings';

// No React.lazy/import() here: lazy chunks are fetched relative to the document, which is wrong for
// plugins served from public/plugins/<id>/ when the host does not set the public path first.
/** The Vigil app plugin: its pages and its configuration page. */
export const plugin = new AppPlugin<AppSettings>().setRootPage(App).addConfigPage({
  title: 'Configuration',
  icon: 'cog',
  body: AppConfig,
  id: 'configuration',
});
