import type { ComponentType } from 'react';
import { matchPath, pathFor, type Params } from './router.tsx';
import { AcceptInvitationScreen } from './screens/accept-invitation.tsx';
import { DashboardScreen } from './screens/dashboard.tsx';
import { ActivityScreen } from './screens/activity.tsx';
import { MediaScreen } from './screens/media.tsx';
import { MembersScreen } from './screens/members.tsx';
import { MessagesScreen } from './screens/messages.tsx';
import { PagesScreen } from './screens/pages.tsx';
import { PostsScreen } from './screens/posts.tsx';
import { ThemeScreen } from './screens/theme.tsx';
import { PageEditorScreen } from './screens/page-editor.tsx';
import { ResetPasswordScreen } from './screens/reset-password.tsx';
import { SignInScreen } from './screens/sign-in.tsx';
import { SitesScreen } from './screens/sites.tsx';

export interface ScreenProps {
  params: Params;
}

export interface Screen {
  /** Also the `data-screen` of the rendered page (tests and styles find a screen by it). */
  name: string;
  /** A pattern for `matchPath`: `:tenant` is the site's slug. */
  path: string;
  title: string;
  /** `public` screens are for signed-out people (sign in, links from emails). */
  access: 'public' | 'signed-in';
  /** Shown in the site navigation, in this order, when set. */
  nav?: string;
  /** `site` screens have the site navigation; `wide` ones use the whole window (the page editor). */
  layout: 'bare' | 'plain' | 'site' | 'wide';
  component: ComponentType<ScreenProps>;
}

/** Every screen of the editor, one line each: the one routing table of the admin host's paths. */
export const SCREENS: readonly Screen[] = [
  { name: 'sign-in', path: '/sign-in', title: 'Sign in', access: 'public', layout: 'bare', component: SignInScreen },
  { name: 'accept-invitation', path: '/accept-invitation', title: 'Accept invitation', access: 'public', layout: 'bare', component: AcceptInvitationScreen },
  { name: 'reset-password', path: '/reset-password', title: 'Choose a new password', access: 'public', layout: 'bare', component: ResetPasswordScreen },
  { name: 'sites', path: '/', title: 'Your sites', access: 'signed-in', layout: 'plain', component: SitesScreen },
  { name: 'dashboard', path: '/sites/:tenant', title: 'Dashboard', access: 'signed-in', nav: 'Dashboard', layout: 'site', component: DashboardScreen },
  { name: 'pages', path: '/sites/:tenant/pages', title: 'Pages', access: 'signed-in', nav: 'Pages', layout: 'site', component: PagesScreen },
  { name: 'page-editor', path: '/sites/:tenant/pages/:pageId', title: 'Edit page', access: 'signed-in', layout: 'wide', component: PageEditorScreen },
  { name: 'posts', path: '/sites/:tenant/posts', title: 'Posts', access: 'signed-in', nav: 'Posts', layout: 'site', component: PostsScreen },
  { name: 'theme', path: '/sites/:tenant/theme', title: 'Theme', access: 'signed-in', nav: 'Theme', layout: 'site', component: ThemeScreen },
  { name: 'media', path: '/sites/:tenant/media', title: 'Media', access: 'signed-in', nav: 'Media', layout: 'site', component: MediaScreen },
  { name: 'messages', path: '/sites/:tenant/messages', title: 'Messages', access: 'signed-in', nav: 'Messages', layout: 'site', component: MessagesScreen },
  { name: 'members', path: '/sites/:tenant/members', title: 'Members', access: 'signed-in', nav: 'Members', layout: 'site', component: MembersScreen },
  { name: 'activity', path: '/sites/:tenant/activity', title: 'Activity', access: 'signed-in', nav: 'Activity', layout: 'site', component: ActivityScreen },
];

/** The screen for a path, with its parameters; null when none matches. */
export function screenFor(pathname: string): { screen: Screen; params: Params } | null {
  for (const screen of SCREENS) {
    const params = matchPath(screen.path, pathname);
    if (params) return { screen, params };
  }
  return null;
}

/** The path of a named screen. */
export function screenPath(name: string, params: Params = {}): string {
  const screen = SCREENS.find((s) => s.name === name);
  if (!screen) throw new Error(`no screen named ${name}`);
  return pathFor(screen.path, params);
}
