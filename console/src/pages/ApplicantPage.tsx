import { ApolloProvider, useMutation, useQuery } from '@apollo/client/react';
import { Alert, Badge, Button, Card, FileButton, Group, Loader, Progress, Stack, Stepper, Text, Title } from '@mantine/core';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useLocation, useParams } from 'react-router';
import { createApolloClient } from '../apollo.js';
import { errorMessage } from '../errors.js';
import { graphql } from '../generated/gql.js';
import type { ApplicantSessionQuery, StepKind } from '../generated/graphql.js';
import { label } from '../status.js';
import { uploadCapture } from '../upload.js';

export const OpenKycLinkDocument = graphql(`
  mutation OpenKycLink($token: String!) {
    openKycLink(token: $token) {
      applicantToken
      session {
        id
      }
    }
  }
`);

export const ApplicantSessionDocument = graphql(`
  query ApplicantSession($id: ID!) {
    session(id: $id) {
      id
      status
      scenario {
        name
      }
      steps {
        position
        kind
        status
        attempts
        warnings {
          code
          severity
          message
        }
        captures {
          id
        }
      }
    }
  }
`);

export const SubmitSessionDocument = graphql(`
  mutation SubmitSession($id: ID!) {
    submitSession(sessionId: $id) {
      id
      status
    }
  }
`);

const INSTRUCTIONS: Record<StepKind, string> = {
  DOCUMENT: 'Photograph your identity document: the whole page, flat, without glare.',
  SELFIE: 'Take a photo of your face, looking at the camera, in good light.',
  SELFIE_WITH_DOCUMENT: 'Take a photo of your face holding your document next to it.',
  LIVENESS: 'Take a photo of your face, looking at the camera.',
};

/**
 * The applicant's page: a one-time link (`/link/<token>`, opened here) or a session the partner opened
 * (`/apply/<session id>#<applicant token>`). The steps in order, each from a file or the camera, with progress and the
 * step's own feedback; the session's result at the end. Everything shown is what the API evaluated.
 */
export function ApplicantPage() {
  const { token: linkToken, sessionId } = useParams();
  const { hash } = useLocation();
  const [credential, setCredential] = useState<{ sessionId: string; token: string } | null>(
    sessionId && hash.length > 1 ? { sessionId, token: decodeURIComponent(hash.slice(1)) } : null,
  );
  const anonymous = useMemo(() => createApolloClient(async () => null), []);
  const [linkError, setLinkError] = useState<string | null>(null);
  useEffect(() => {
    if (!linkToken || credential) return;
    anonymous.mutate({ mutation: OpenKycLinkDocument, variables: { token: linkToken } }).then(
      ({ data }) => data && setCredential({ sessionId: data.openKycLink.session.id, token: data.openKycLink.applicantToken }),
      (error: unknown) => setLinkError(errorMessage(error)),
    );
  }, [linkToken, credential, anonymous]);
  const client = useMemo(() => (credential ? createApolloClient(async () => credential.token) : null), [credential]);
  return (
    <main className="applicant">
      <Title order={1} size="h2" mb="md">Identity verification</Title>
      {linkError && <Alert color="red" role="alert" title="This link cannot be opened">{linkError}</Alert>}
      {!credential && !linkError && (linkToken ? <Loader aria-label="Opening the link" /> : <Alert color="red" role="alert">This page needs the link you were given.</Alert>)}
      {client && credential && (
        <ApolloProvider client={client}>
          <ApplicantSteps sessionId={credential.sessionId} token={credential.token} />
        </ApolloProvider>
      )}
    </main>
  );
}

type ApplicantStep = ApplicantSessionQuery['session']['steps'][number];

function ApplicantSteps({ sessionId, token }: { sessionId: string; token: string }) {
  const { data, error, refetch } = useQuery(ApplicantSessionDocument, { variables: { id: sessionId }, fetchPolicy: 'network-only' });
  const [submit, submitting] = useMutation(SubmitSessionDocument);
  if (error) return <Alert color="red" role="alert">{errorMessage(error)}</Alert>;
  if (!data) return <Loader aria-label="Loading" />;
  const session = data.session;
  const steps = [...session.steps].sort((a, b) => a.position - b.position);
  // The first step without an accepted upload: a failed step stays current, for a retake.
  const active = steps.findIndex((s) => s.captures.length === 0 || s.status === 'FAILED');
  const allUploaded = steps.every((s) => s.captures.length > 0);
  if (session.status !== 'IN_PROGRESS') return <Result status={session.status} />;
  return (
    <Stack>
      <Text>{session.scenario.name}</Text>
      <Stepper active={active < 0 ? steps.length : active} orientation="vertical" allowNextStepsSelect={false}>
        {steps.map((step) => (
          <Stepper.Step key={step.position} label={label(step.kind)} description={label(step.status)}>
            <StepUpload step={step} sessionId={sessionId} token={token} onUploaded={() => void refetch()} />
          </Stepper.Step>
        ))}
      </Stepper>
      {allUploaded && (
        <Card withBorder>
          <Text mb="sm">Every step has a photo. A step marked failed can be retaken above, or you can finish now.</Text>
          <Button onClick={() => void submit({ variables: { id: sessionId } }).then(() => refetch(), () => undefined)} loading={submitting.loading}>Finish</Button>
          {submitting.error && <Text c="red" role="alert">{errorMessage(submitting.error)}</Text>}
        </Card>
      )}
    </Stack>
  );
}

function StepUpload({ step, sessionId, token, onUploaded }: { step: ApplicantStep; sessionId: string; token: string; onUploaded: () => void }) {
  const [progress, setProgress] = useState<number | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [camera, setCamera] = useState(false);
  async function send(file: Blob) {
    setFailure(null);
    setProgress(0);
    try {
      await uploadCapture(token, sessionId, step.position, file, setProgress);
      onUploaded();
    } catch (error) {
      setFailure(errorMessage(error));
    } finally {
      setProgress(null);
    }
  }
  return (
    <Stack gap="sm" mt="xs">
      <Text>{INSTRUCTIONS[step.kind]}</Text>
      {step.status === 'FAILED' && (
        <Alert color="orange" title="Please retake this photo" role="alert">
          {step.warnings.map((w) => <Text key={w.code} size="sm">{w.message}</Text>)}
        </Alert>
      )}
      {camera ? <Camera onCapture={(blob) => { setCamera(false); void send(blob); }} onCancel={() => setCamera(false)} /> : (
        <Group>
          <FileButton onChange={(file) => file && void send(file)} accept="image/jpeg,image/png">
            {(props) => <Button {...props} disabled={progress !== null}>Choose a photo</Button>}
          </FileButton>
          <Button variant="default" onClick={() => setCamera(true)} disabled={progress !== null}>Use the camera</Button>
        </Group>
      )}
      {progress !== null && (
        <Stack gap={4}>
          <Progress value={progress * 100} aria-label="Upload progress" animated />
          <Text size="sm" role="status">{progress < 1 ? `Uploading… ${Math.round(progress * 100)} %` : 'Checking the photo…'}</Text>
        </Stack>
      )}
      {failure && <Text c="red" role="alert">{failure}</Text>}
      {step.captures.length > 0 && step.status !== 'FAILED' && <Badge color="green">Accepted</Badge>}
    </Stack>
  );
}

/** A photo from the device's camera (getUserMedia), as a JPEG. */
function Camera({ onCapture, onCancel }: { onCapture: (blob: Blob) => void; onCancel: () => void }) {
  const video = useRef<HTMLVideoElement>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let stream: MediaStream | null = null;
    navigator.mediaDevices?.getUserMedia({ video: { width: { ideal: 1920 } }, audio: false }).then((s) => {
      stream = s;
      if (video.current) video.current.srcObject = s;
    }, () => setError('The camera is not available: choose a photo instead.'));
    return () => stream?.getTracks().forEach((t) => t.stop());
  }, []);
  function take() {
    const v = video.current;
    if (!v || v.videoWidth === 0) return;
    const canvas = document.createElement('canvas');
    canvas.width = v.videoWidth;
    canvas.height = v.videoHeight;
    canvas.getContext('2d')?.drawImage(v, 0, 0);
    canvas.toBlob((blob) => blob && onCapture(blob), 'image/jpeg', 0.92);
  }
  return (
    <Stack gap="xs">
      {error ? <Text c="red" role="alert">{error}</Text> : <video ref={video} autoPlay playsInline muted className="camera" aria-label="Camera preview" />}
      <Group>
        <Button onClick={take} disabled={error !== null}>Take the photo</Button>
        <Button variant="default" onClick={onCancel}>Cancel</Button>
      </Group>
    </Stack>
  );
}

function Result({ status }: { status: ApplicantSessionQuery['session']['status'] }) {
  const success = status === 'SUCCESS';
  return (
    <Alert color={success ? 'green' : status === 'FAILED' ? 'red' : 'blue'} title={success ? 'Verified' : 'Verification finished'} role="status">
      {success ? 'Thank you: your identity is verified.' : status === 'FAILED' ? 'Your identity could not be verified.' : 'Thank you: your verification is being reviewed.'}
    </Alert>
  );
}
