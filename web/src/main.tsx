// The console's entry: query cache → language (from the signed-in profile, else the browser) → routes.
import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { RouterProvider } from 'react-router/dom';
import { makeQueryClient, useProfileQuery } from './app/auth.tsx';
import { makeRouter } from './app/router.tsx';
import { I18nProvider } from './i18n/i18n.tsx';
import './styles.css';

const queryClient = makeQueryClient();
const router = makeRouter();

function App() {
  const profile = useProfileQuery();
  return (
    <I18nProvider profileLanguage={profile.data?.language}>
      <RouterProvider router={router} />
    </I18nProvider>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <App />
    </QueryClientProvider>
  </StrictMode>,
);
