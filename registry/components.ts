import Blog from './sections/blog/Blog.astro';
import Contact from './sections/contact/Contact.astro';
import Cta from './sections/cta/Cta.astro';
import Features from './sections/features/Features.astro';
import FeaturesCards from './sections/features/FeaturesCards.astro';
import FeaturesCode from './sections/features/FeaturesCode.astro';
import Footer from './sections/footer/Footer.astro';
import Header from './sections/header/Header.astro';
import Hero from './sections/hero/Hero.astro';
import HeroSplit from './sections/hero/HeroSplit.astro';
import HeroTerminal from './sections/hero/HeroTerminal.astro';
import RichText from './sections/rich-text/RichText.astro';
import Services from './sections/services/Services.tsx';
import ServicesTreatments from './sections/services/ServicesTreatments.astro';
import Team from './sections/team/Team.astro';
import TeamCare from './sections/team/TeamCare.astro';
import TestimonialCarouselIsland from './sections/testimonials/TestimonialCarouselIsland.astro';
import Testimonials from './sections/testimonials/Testimonials.astro';
import type { SectionComponents } from './types.ts';

/** The component of every section type and variant the catalog names. */
export const components: Readonly<Record<string, SectionComponents>> = {
  header: { default: Header, variants: {} },
  hero: { default: Hero, variants: { split: HeroSplit, 'darkflows-terminal': HeroTerminal } },
  features: { default: Features, variants: { cards: FeaturesCards, 'codersinflow-code': FeaturesCode } },
  'rich-text': { default: RichText, variants: {} },
  services: { default: Services, variants: { 'clientsite-treatments': ServicesTreatments } },
  team: { default: Team, variants: { 'clientsite-care': TeamCare } },
  testimonials: { default: Testimonials, variants: { carousel: TestimonialCarouselIsland } },
  blog: { default: Blog, variants: {} },
  cta: { default: Cta, variants: {} },
  contact: { default: Contact, variants: {} },
  footer: { default: Footer, variants: {} },
};
