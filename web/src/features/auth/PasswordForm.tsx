// A partner user's password change: the forced one after a temporary password and the voluntary one on My
// profile.
import type { ReactNode } from 'react';
import { api, unwrap } from '../../api/client.ts';
import { useProfile } from '../../app/auth.tsx';
import { PasswordChangeForm } from '../../components/PasswordChangeForm.tsx';

export function PasswordForm(props: {
  currentLabel: string;
  onChanged: () => void | Promise<void>;
  children?: ReactNode;
}) {
  const profile = useProfile();
  return (
    <PasswordChangeForm
      userName={profile.userName}
      change={(body) => unwrap(api.POST('/v1/profiles/me/password', { body }))}
      {...props}
    />
  );
}
