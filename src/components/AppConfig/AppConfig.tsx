import React, { ChangeEvent, FormEvent, useState } from 'react';
import { lastValueFrom } from 'rxjs';
import type { AppPluginMeta, PluginConfigPageProps, PluginMeta } from '@grafana/data';
import { getBackendSrv } from '@grafana/runtime';
import { Alert, Button, Field, FieldSet, Input, SecretInput, Stack } from '@grafana/ui';
import { testIds } from '../../testIds';
import { type AppSecureSettings, type AppSettings, normalizeSidecarUrl, validateSidecarUrl } from './settings';

/** Props Grafana passes to the app's configuration page. */
export interface AppConfigProps extends PluginConfigPageProps<AppPluginMeta<AppSettings>> {}

/** Props of {@link AppConfigForm}: the plugin meta and what to do once the settings are saved. */
export interface AppConfigFormProps {
  meta: AppPluginMeta<AppSettings>;
  onSaved: () => void;
}

/** Body of `POST /api/plugins/<id>/settings`, as the form sends it. */
export type SettingsUpdate = Partial<PluginMeta<AppSettings>> & { secureJsonData?: AppSecureSettings };

/** Saves the app's settings with Grafana's plugin settings API. */
export async function updatePluginSettings(pluginId: string, data: SettingsUpdate): Promise<void> {
  await lastValueFrom(
    getBackendSrv().fetch({ url: `/api/plugins/${pluginId}/settings`, method: 'POST', data, showSuccessAlert: false })
  );
}

/**
 * The configuration form: the sidecar URL (jsonData) and its token (secureJsonData). The token is
 * write-only: once saved, the browser only learns that it is set (`secureJsonFields.sidecarToken`).
 */
export function AppConfigForm({ meta, onSaved }: AppConfigFormProps) {
  const [sidecarUrl, setSidecarUrl] = useState(meta.jsonData?.sidecarUrl ?? '');
  const [token, setToken] = useState('');
  const [tokenConfigured, setTokenConfigured] = useState(Boolean(meta.secureJsonFields?.sidecarToken));
  const [touched, setTouched] = useState(false);
  const [saveError, setSaveError] = useState<string | undefined>();
  const [saving, setSaving] = useState(false);

  const urlError = validateSidecarUrl(sidecarUrl);
  const tokenMissing = !tokenConfigured && token.trim() === '';
  const invalid = Boolean(urlError) || tokenMissing;

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (invalid || saving) {
      return;
    }
    setSaving(true);
    setSaveError(undefined);
    try {
      await updatePluginSettings(meta.id, {
        enabled: meta.enabled,
        pinned: meta.pinned,
        jsonData: { ...meta.jsonData, sidecarUrl: normalizeSidecarUrl(sidecarUrl) },
        // Left out when unchanged so that saving the URL does not wipe a stored token.
        secureJsonData: tokenConfigured ? undefined : { sidecarToken: token.trim() },
      });
      onSaved();
    } catch (err) {
      const message =
        err instanceof Error
          ? err.message
          : ((err as { data?: { message?: string } })?.data?.message ?? 'unknown error');
      setSaveError(`Saving the settings failed: ${message}`);
    } finally {
      setSaving(false);
    }
  };

  const showUrlError = Boolean(urlError) && (touched || sidecarUrl !== '');
  return (
    <form onSubmit={onSubmit} data-testid={testIds.appConfig.container}>
      <FieldSet label="Sidecar">
        <Field
          label="Sidecar URL"
          description="Where Grafana's server reaches the Vigil sidecar. The browser never calls it directly."
          invalid={showUrlError}
          error={showUrlError ? <span data-testid={testIds.appConfig.urlError}>{urlError}</span> : undefined}
        >
          <Input
            width={60}
            id="vigil-sidecar-url"
            name="sidecarUrl"
            data-testid={testIds.appConfig.sidecarUrl}
            value={sidecarUrl}
            placeholder="http://127.0.0.1:8787"
            onChange={(e: ChangeEvent<HTMLInputElement>) => setSidecarUrl(e.target.value)}
          />
        </Field>
        <Field
          label="Sidecar token"
          description="Bearer token of the sidecar API. Stored encrypted; Grafana's plugin proxy adds it to each call."
          invalid={touched && tokenMissing}
          error={touched && tokenMissing ? 'Sidecar token is required' : undefined}
        >
          <SecretInput
            width={60}
            id="vigil-sidecar-token"
            name="sidecarToken"
            data-testid={testIds.appConfig.sidecarToken}
            value={token}
            isConfigured={tokenConfigured}
            placeholder="Sidecar API token"
            onChange={(e: ChangeEvent<HTMLInputElement>) => setToken(e.target.value)}
            onReset={() => {
              setToken('');
              setTokenConfigured(false);
            }}
          />
        </Field>
        <Stack direction="column" gap={2} alignItems="flex-start">
          {saveError ? <Alert title={saveError} severity="error" /> : null}
          <Button type="submit" data-testid={testIds.appConfig.submit} disabled={saving}>
            Save settings
          </Button>
        </Stack>
      </FieldSet>
    </form>
  );
}

/** The app's configuration page. */
export default function AppConfig({ plugin }: AppConfigProps) {
  // A full reload is the supported way to make Grafana pick up new plugin settings.
  return <AppConfigForm meta={plugin.meta} onSaved={() => window.location.reload()} />;
}
