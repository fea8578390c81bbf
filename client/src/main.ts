import { mount } from 'svelte';
import App from './App.svelte';
import { i18n } from './i18n/index.svelte';
import './styles/global.css';

// The dictionary of the chosen language comes first, then the app.
void i18n.init().then(() => mount(App, { target: document.getElementById('app')! }));
