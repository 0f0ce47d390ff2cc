import { useApi } from '@backstage/core-plugin-api';
import {
  Cluster,
  KubeconfigContext,
} from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Checkbox from '@material-ui/core/Checkbox';
import CircularProgress from '@material-ui/core/CircularProgress';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import TextField from '@material-ui/core/TextField';
import { darken, makeStyles } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';
import { ChangeEvent, useEffect, useRef, useState } from 'react';
import { fluxOrchestratorApiRef } from '../../api/FluxOrchestratorApi';
import { fieldErrorOf } from '../../api/fieldErrors';

const FIELDS = [
  'name',
  'title',
  'description',
  'kubeconfig',
  'context',
] as const;
type Field = (typeof FIELDS)[number];

/** The kubeconfig settles for this long before its contexts are asked for. */
const CONTEXTS_DEBOUNCE_MS = 400;

/**
 * Registers a cluster (`cluster` absent) or changes a registered one. The contexts of the pasted kubeconfig
 * are read by the backend, which also validates it, so the picker and the errors match what will be stored.
 * Only the entries of the chosen context are stored (never sent back), so another context needs the kubeconfig
 * pasted again.
 */
const useStyles = makeStyles(theme => ({
  // The theme's error red on white is 3.7:1; a field's error must be readable (WCAG AA, 4.5:1).
  error: {
    '&&': {
      color:
        theme.palette.type === 'light'
          ? darken(theme.palette.error.main, 0.25)
          : theme.palette.error.main,
    },
  },
}));

export function ClusterFormDialog(props: {
  cluster?: Cluster;
  onClose(): void;
  onSaved(cluster: Cluster): void;
}) {
  const { cluster } = props;
  const classes = useStyles();
  const api = useApi(fluxOrchestratorApiRef);
  const [name, setName] = useState('');
  const [title, setTitle] = useState(cluster?.title ?? '');
  const [description, setDescription] = useState(cluster?.description ?? '');
  const [kubeconfig, setKubeconfig] = useState('');
  const [context, setContext] = useState('');
  const [contexts, setContexts] = useState<KubeconfigContext[]>([]);
  const [skipConnectionCheck, setSkipConnectionCheck] = useState(false);
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [formError, setFormError] = useState<string>();
  const [saving, setSaving] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  /** Counts the submits, so that a contexts lookup can tell whether one came after the edit it answers. */
  const submits = useRef(0);

  useEffect(() => {
    if (!kubeconfig.trim()) {
      setContexts([]);
      return undefined;
    }
    let cancelled = false;
    // A submit made after this edit has validated the same kubeconfig fully (with the connection check); the
    // lookup, which is debounced and may answer later, must not clear or replace that submit's error.
    const submitsAtEdit = submits.current;
    const timer = setTimeout(async () => {
      const submittedSince = () => submits.current !== submitsAtEdit;
      try {
        const found = await api.listKubeconfigContexts(kubeconfig);
        if (cancelled) return;
        setContexts(found);
        setContext(chosen =>
          found.some(c => c.name === chosen)
            ? chosen
            : found.find(c => c.current)?.name ?? found[0]?.name ?? '',
        );
        if (!submittedSince())
          setErrors(previous => ({ ...previous, kubeconfig: undefined }));
      } catch (error) {
        if (cancelled) return;
        setContexts([]);
        if (!submittedSince()) {
          setErrors(previous => ({
            ...previous,
            kubeconfig: fieldErrorOf(error, ['kubeconfig']).message,
          }));
        }
      }
    }, CONTEXTS_DEBOUNCE_MS);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [api, kubeconfig]);

  async function upload(event: ChangeEvent<HTMLInputElement>) {
    const input = event.target;
    const file = input.files?.[0];
    // Cleared, so that choosing the same file again (after fixing it on disk) reads it again.
    input.value = '';
    if (file) setKubeconfig(await file.text());
  }

  async function save() {
    submits.current += 1;
    setSaving(true);
    setErrors({});
    setFormError(undefined);
    try {
      const common = {
        // Without a new kubeconfig there is no other context to choose (see the Context field).
        context: (kubeconfig.trim() && context.trim()) || undefined,
        skipConnectionCheck: skipConnectionCheck || undefined,
      };
      // An edit sends title and description even when empty: that clears them (the title falls back to the
      // name), where leaving them out would keep the old text.
      const saved = cluster
        ? await api.updateCluster(cluster.name, {
            ...common,
            title: title.trim(),
            description: description.trim(),
            kubeconfig: kubeconfig.trim() ? kubeconfig : undefined,
          })
        : await api.createCluster({
            ...common,
            name: name.trim(),
            title: title.trim() || undefined,
            description: description.trim() || undefined,
            kubeconfig,
          });
      props.onSaved(saved);
    } catch (error) {
      const placed = fieldErrorOf(error, FIELDS);
      if (placed.field) setErrors({ [placed.field]: placed.message });
      else setFormError(placed.message);
    } finally {
      setSaving(false);
    }
  }

  const fieldProps = (field: Field, helper?: string) => ({
    error: !!errors[field],
    helperText: errors[field] ?? helper,
    InputLabelProps: { classes: { error: classes.error } },
    FormHelperTextProps: { classes: { error: classes.error } },
    fullWidth: true,
    variant: 'outlined' as const,
    margin: 'dense' as const,
    disabled: saving,
  });

  const ready = cluster ? true : !!name.trim() && !!kubeconfig.trim();
  const contextOfStoredKubeconfig = !!cluster && !kubeconfig.trim();

  return (
    <Dialog
      open
      onClose={saving ? undefined : props.onClose}
      fullWidth
      maxWidth="md"
      aria-labelledby="cluster-form-title"
    >
      <DialogTitle id="cluster-form-title">
        {cluster ? `Edit ${cluster.title}` : 'Add cluster'}
      </DialogTitle>
      <DialogContent>
        {formError && <Alert severity="error">{formError}</Alert>}
        {!cluster && (
          <TextField
            {...fieldProps(
              'name',
              'Lowercase letters, digits and dashes; the cluster’s id in links',
            )}
            id="cluster-name"
            label="Name"
            value={name}
            onChange={e => setName(e.target.value)}
            // The dialog opens to type the name; the focus starts there, as in any form dialog.
            // eslint-disable-next-line jsx-a11y/no-autofocus
            autoFocus
          />
        )}
        <TextField
          {...fieldProps('title')}
          id="cluster-title"
          label="Title"
          value={title}
          onChange={e => setTitle(e.target.value)}
        />
        <TextField
          {...fieldProps('description')}
          id="cluster-description"
          label="Description"
          value={description}
          onChange={e => setDescription(e.target.value)}
        />
        <TextField
          {...fieldProps(
            'kubeconfig',
            cluster
              ? 'Leave empty to keep the stored kubeconfig. It is stored encrypted and never shown again.'
              : 'Paste the kubeconfig or upload its file. It is stored encrypted and never shown again.',
          )}
          id="cluster-kubeconfig"
          label="Kubeconfig"
          multiline
          minRows={8}
          maxRows={20}
          value={kubeconfig}
          onChange={e => setKubeconfig(e.target.value)}
          inputProps={{
            spellCheck: false,
            style: { fontFamily: 'monospace', fontSize: '0.8rem' },
          }}
        />
        {/* A real button opens the hidden file input, so that the upload works from the keyboard. */}
        <input
          ref={fileInput}
          type="file"
          hidden
          onChange={upload}
          aria-label="Kubeconfig file"
        />
        <Button
          size="small"
          disabled={saving}
          onClick={() => fileInput.current?.click()}
        >
          Upload kubeconfig file
        </Button>
        {contextOfStoredKubeconfig ? (
          <TextField
            {...fieldProps(
              'context',
              'Paste the kubeconfig again to use another context: only the one in use is stored',
            )}
            id="cluster-context"
            label="Context"
            value=""
            disabled
          />
        ) : (
          <TextField
            {...fieldProps(
              'context',
              contexts.length
                ? undefined
                : 'Paste a kubeconfig to choose one of its contexts',
            )}
            id="cluster-context"
            label="Context"
            select
            SelectProps={{ native: true }}
            InputLabelProps={{ shrink: true }}
            value={context}
            disabled={saving || !contexts.length}
            onChange={e => setContext(e.target.value)}
          >
            {!contexts.length && <option value="" />}
            {contexts.map(c => (
              <option key={c.name} value={c.name}>
                {c.name} ({c.server ?? c.cluster}, user {c.user})
              </option>
            ))}
          </TextField>
        )}
        <FormControlLabel
          control={
            <Checkbox
              checked={skipConnectionCheck}
              onChange={e => setSkipConnectionCheck(e.target.checked)}
              disabled={saving}
            />
          }
          label="Skip connection check (store the cluster even if it does not answer now)"
        />
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose} disabled={saving}>
          Cancel
        </Button>
        <Box position="relative">
          <Button
            color="primary"
            variant="contained"
            onClick={save}
            disabled={saving || !ready}
          >
            {cluster ? 'Save' : 'Add'}
          </Button>
          {saving && (
            <CircularProgress
              size={20}
              style={{
                position: 'absolute',
                top: '50%',
                left: '50%',
                margin: -10,
              }}
            />
          )}
        </Box>
      </DialogActions>
    </Dialog>
  );
}
