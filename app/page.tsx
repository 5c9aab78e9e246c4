import { redirect } from 'next/navigation';
import { getSignedInUser } from '@/lib/server/auth/current-user';

export default async function Home() {
  redirect((await getSignedInUser()) ? '/dashboard' : '/signin');
}
