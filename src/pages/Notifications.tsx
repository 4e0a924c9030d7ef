import React, { useState } from 'react';
import { useLocation } from 'react-router';
import { PluginPage } from '@grafana/runtime';
import { Button, Stack, Text } from '@grafana/ui';
import { getRouting, listChannels, listNotifications, listSilences } from '../api/notify';
import { PageError, PageLoading } from '../components/PageState/PageState';
import { type AsyncState, useAsync } from '../hooks/useAsync';
import { testIds } from '../testIds';
import { ChannelsSection } from './notify/ChannelsSection';
import { FailedNotifications } from './notify/FailedNotifications';
import { RoutingSection } from './notify/RoutingSection';
import { SilenceForm } from './notify/SilenceForm';
import { silenceFormFromUrl } from './notify/silenceForm';
import { SilencesSection } from './notify/SilencesSection';
import { currentUser } from './notify/user';

// Each answer is kept with the time it was read at: "5m ago" and "in 2h" are relative to it.
const withNow =
  <T,>(load: () => Promise<T>) =>
  async () => ({ value: await load(), now: Date.now() });
const loadRouting = withNow(getRouting);
const loadChannels = withNow(listChannels);
const loadSilences = withNow(() => listSilences());
const loadFailed = withNow(() => listNotifications({ status: 'failed' }));

/** A titled part of the page with its own loading and error states (one failing load hides nothing else). */
function Section<T>({
  title,
  state,
  what,
  onRetry,
  actions,
  top,
  children,
}: {
  title: string;
  state: AsyncState<T>;
  what: string;
  onRetry(): void;
  actions?: React.ReactNode;
  /** Shown above the loaded content whatever its state (the silence form survives a reload of the list). */
  top?: React.ReactNode;
  children: (value: T) => React.ReactNode;
}) {
  return (
    <section aria-label={title}>
      <Stack direction="column" gap={1}>
        <Stack justifyContent="space-between" alignItems="center">
          <Text element="h3">{title}</Text>
          {actions}
        </Stack>
        {top}
        {state.status === 'loading' ? <PageLoading text={`Loading ${what}…`} /> : null}
        {state.status === 'error' ? (
          <PageError title={`Could not load ${what}`} error={state.error} onRetry={onRetry} />
        ) : null}
        {state.status === 'done' ? children(state.value) : null}
      </Stack>
    </section>
  );
}

/**
 * The app's "Notifications" page (`/a/vigil-observability-app/notifications`): the routing tree at a
 * glance, the channels with their last delivery and a test-send, the silences (create, list, expire)
 * and the failed-notification log with retry. Viewers read; the write buttons are for Editors (the
 * plugin proxy enforces it). Opened with `?matchers=` (an alert's "Silence" link on the Rules page),
 * the "New silence" form opens filled with them.
 */
export function Notifications() {
  const [user] = useState(currentUser);
  const { search } = useLocation();
  const [initial, setInitial] = useState(() => silenceFormFromUrl(search, Date.now()));
  const [formOpen, setFormOpen] = useState(() => user.canWrite && new URLSearchParams(search).has('matchers'));
  // Only the first form starts from the link's matchers; once closed, the next one starts empty.
  const [formKey, setFormKey] = useState(0);
  const closeForm = () => {
    setFormOpen(false);
    setInitial(silenceFormFromUrl('', Date.now()));
    setFormKey((k) => k + 1);
  };
  const [routing, reloadRouting] = useAsync(loadRouting);
  const [channels, reloadChannels] = useAsync(loadChannels);
  const [silences, reloadSilences] = useAsync(loadSilences);
  const [failed, reloadFailed] = useAsync(loadFailed);
  const reloadAll = () => {
    reloadRouting();
    reloadChannels();
    reloadSilences();
    reloadFailed();
  };

  return (
    <PluginPage>
      <div data-testid={testIds.pages.notifications}>
        <Stack direction="column" gap={4}>
          <Stack justifyContent="flex-end">
            <Button variant="secondary" icon="sync" onClick={reloadAll}>
              Refresh
            </Button>
          </Stack>
          <Section title="Routes at a glance" what="the routing tree" state={routing} onRetry={reloadRouting}>
            {({ value }) => <RoutingSection routing={value} />}
          </Section>
          <Section title="Channels" what="the channels" state={channels} onRetry={reloadChannels}>
            {({ value, now }) => <ChannelsSection response={value} now={now} canWrite={user.canWrite} />}
          </Section>
          <Section
            title="Silences"
            what="the silences"
            state={silences}
            onRetry={reloadSilences}
            actions={
              user.canWrite && !formOpen ? (
                <Button icon="bell-slash" data-testid={testIds.notify.newSilence} onClick={() => setFormOpen(true)}>
                  New silence
                </Button>
              ) : null
            }
            top={
              formOpen ? (
                <SilenceForm
                  key={formKey}
                  initial={initial.values}
                  notice={initial.notice}
                  author={user.login}
                  onCreated={() => {
                    closeForm();
                    reloadSilences();
                  }}
                  onCancel={closeForm}
                />
              ) : null
            }
          >
            {({ value, now }) => (
              <SilencesSection response={value} now={now} canWrite={user.canWrite} onReload={reloadSilences} />
            )}
          </Section>
          <Section title="Failed notifications" what="the failed notifications" state={failed} onRetry={reloadFailed}>
            {({ value, now }) => (
              <FailedNotifications
                response={value}
                now={now}
                canWrite={user.canWrite}
                onReload={() => {
                  reloadFailed();
                  reloadChannels();
                }}
              />
            )}
          </Section>
        </Stack>
      </div>
    </PluginPage>
  );
}
