import React, { useState } from 'react';
import { Alert, Button, Stack } from '@grafana/ui';
import { SidecarError } from '../../api/client';
import { createSlo, previewSlo, type SloPreview, type SloSpec, type SloView, updateSlo } from '../../api/slos';
import { testIds } from '../../testIds';
import {
  type SloFormErrors,
  type SloFormField,
  sloFormErrorsFromSidecar,
  type SloFormValues,
  sloSpecFromForm,
  validateSloForm,
} from './sloForm';
import { AlertingFields, BasicsFields, SliFields, WindowFields } from './SloFormFields';
import { SloPreviewBlock } from './SloPreview';

const ids = testIds.slos;

/** Props of {@link SloForm}. */
export interface SloFormProps {
  initial: SloFormValues;
  /** The stored SLO when editing (its version goes in If-Match, its spec keeps what the form does not edit). */
  existing?: { id: string; version: number; spec: SloSpec };
  datasources: string[];
  onSaved(slo: SloView): void;
  onCancel(): void;
}

/**
 * The SLO editor: a form over Vigil's SLO spec. Create (POST) or update (PUT with If-Match); the
 * sidecar's 400 `invalid_slo` field errors are shown under their fields, a 409 says someone else saved.
 */
export function SloForm({ initial, existing, datasources, onSaved, onCancel }: SloFormProps) {
  const [values, setValues] = useState(initial);
  const [errors, setErrors] = useState<SloFormErrors>({});
  const [saveError, setSaveError] = useState<string | undefined>();
  const [saving, setSaving] = useState(false);
  const [preview, setPreview] = useState<SloPreview | undefined>();
  const [previewing, setPreviewing] = useState(false);

  const onChange = <K extends SloFormField>(field: K, value: SloFormValues[K]) => {
    setValues((v) => ({ ...v, [field]: value }));
    // A problem is about the value that had it: once edited, it goes until the next check.
    setErrors((e) => {
      if (!(field in e)) {
        return e;
      }
      const next = { ...e };
      delete next[field];
      return next;
    });
  };

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    if (saving) {
      return;
    }
    const found = validateSloForm(values);
    setErrors(found);
    if (Object.keys(found).length > 0) {
      setSaveError('Some fields need attention (marked in red).');
      return;
    }
    setSaving(true);
    setSaveError(undefined);
    try {
      const spec = sloSpecFromForm(values, existing?.spec);
      onSaved(existing ? await updateSlo(existing.id, spec, existing.version) : await createSlo(spec));
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      if (err instanceof SidecarError && err.fields?.length) {
        setErrors(sloFormErrorsFromSidecar(err.fields));
      }
      const conflict = err instanceof SidecarError && err.status === 409;
      setSaveError(
        conflict
          ? 'Someone changed this SLO since you opened it: reload the page to edit the current version.'
          : err.message
      );
      setSaving(false);
    }
  };

  // The spec as it stands, evaluated by the sidecar now (nothing saved); problems show as on save.
  const runPreview = async () => {
    const found = validateSloForm(values);
    setErrors(found);
    if (Object.keys(found).length > 0) {
      setSaveError('Some fields need attention (marked in red).');
      return;
    }
    setPreviewing(true);
    setSaveError(undefined);
    try {
      setPreview(await previewSlo(sloSpecFromForm(values, existing?.spec)));
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      if (err instanceof SidecarError && err.fields?.length) {
        setErrors(sloFormErrorsFromSidecar(err.fields));
      }
      setPreview(undefined);
      setSaveError(`Preview failed: ${err.message}`);
    } finally {
      setPreviewing(false);
    }
  };

  const section = { values, errors, onChange, editing: Boolean(existing), datasources };
  return (
    <form data-testid={ids.form} onSubmit={submit} noValidate aria-label="SLO" style={{ maxWidth: 720 }}>
      <BasicsFields {...section} />
      <WindowFields {...section} />
      <SliFields {...section} />
      <AlertingFields {...section} />
      {preview ? <SloPreviewBlock preview={preview} /> : null}
      {errors.general || saveError ? (
        <div data-testid={ids.saveError}>
          <Alert severity="error" title="The SLO was not saved">
            {[saveError, errors.general].filter(Boolean).join(' — ')}
          </Alert>
        </div>
      ) : null}
      <Stack gap={1}>
        <Button type="submit" icon={saving ? 'spinner' : 'save'} data-testid={ids.save} disabled={saving}>
          {existing ? 'Save SLO' : 'Create SLO'}
        </Button>
        <Button
          type="button"
          variant="secondary"
          icon={previewing ? 'spinner' : 'eye'}
          data-testid={ids.previewButton}
          disabled={previewing}
          onClick={runPreview}
        >
          Preview
        </Button>
        <Button type="button" variant="secondary" data-testid={ids.cancel} onClick={onCancel}>
          Cancel
        </Button>
      </Stack>
    </form>
  );
}
